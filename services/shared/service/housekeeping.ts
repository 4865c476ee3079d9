import type { Logger } from '../observability/logger';
import { PeriodicTask } from './periodic-task';

/** One table's retention: rows older than `keepHours` are deleted. */
export interface RetentionRule {
  table: string;
  keepHours: number;
  deleteOlderThan(cutoff: Date): Promise<number>;
}

/** A worker that applies each retention rule every `intervalMs` (and once at start). */
export function housekeeping(rules: RetentionRule[], intervalMs: number, logger: Logger): PeriodicTask {
  const task = new PeriodicTask(
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
  return task;
}
