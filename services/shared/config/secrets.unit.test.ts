import { Writable } from 'node:stream';
import pino from 'pino';
import { z } from 'zod';
import { loadConfig } from './load-config';
import { printableValue, redactedLogPaths, withoutPassword } from './secrets';
import { messageOf } from '../errors/message-of';

describe('secrets stay out of output', () => {
  it('hides a URL password and secret-named variables in configuration errors', () => {
    expect(withoutPassword('postgres://app:s3cret@db:5432/app')).toBe('postgres://app:***@db:5432/app');
    expect(printableValue('KEYSTORE_MASTER_KEY', 'c2VjcmV0')).toBe('"***"');
    const schema = z.object({ DATABASE_URL: z.url({ protocol: /^mysql$/ }), API_TOKEN: z.string().min(40) });
    let message = '';
    try {
      loadConfig(schema, { DATABASE_URL: 'postgres://app:s3cret@db/app', API_TOKEN: 'abc' });
    } catch (error) {
      message = messageOf(error);
    }
    expect(message).toContain('DATABASE_URL="postgres://app:***@db/app"');
    expect(message).toContain('API_TOKEN="***"');
    expect(message).not.toMatch(/s3cret|abc/);
  });

  it('redacts tokens and passwords wherever they appear in a logged object', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ redact: { paths: redactedLogPaths, censor: '[redacted]' } }, sink);
    logger.info({ headers: { authorization: 'Bearer eyJhbGciOi' }, request: { password: 'hunter2' } }, 'x');
    expect(lines.join('')).not.toMatch(/eyJhbGciOi|hunter2/);
    expect(lines.join('')).toContain('[redacted]');
  });
});
