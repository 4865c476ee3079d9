import type { Logger } from '../observability/logger';
import { DueTimeTask } from './due-time-task';

/** One table's retention: rows older than `keepHours` are deleted. */
export interface RetentionRule {
  table: string;
  keepHours: number;
  deleteOlderThan(cutoff: Date): Promise<number>;
}

/** A worker that applies each retention rule every `intervalMs` (and once at start). */
export function housekeeping(rules: RetentionRule[], intervalMs: number, logger: Logger): DueTimeTask {
  return DueTimeTask.every(
    'housekeeping',
    intervalMs,
    async () => {
      for (const rule of rules) {
        const deleted = await rule.deleteOlderThan(new Date(Date.now() - rule.keepHours * 3_600_000));
        if (deleted > 0)
          logger.info({ table: rule.table, deleted, keepHours: rule.keepHours }, 'housekeeping');
      }
    },
    logger,
  );
}
