import type { Response } from 'express';
import type { HttpResult } from './idempotency';

export function sendResult(res: Response, result: HttpResult): void {
  res.status(result.status).set(result.headers).json(result.body);
}
