import type { z } from 'zod';
import { loadConfig } from '../shared/config/load-config';
import { poolVariable, portVariable } from '../shared/config/variables';
import { infrastructureSchema } from '../shared/service/infrastructure';

export const auditConfigSchema = infrastructureSchema.extend({
  AUDIT_PORT: portVariable(3010, 'the audit trail API'),
  AUDIT_DB_POOL: poolVariable(4, 'the audit service (recording and queries)'),
});

export type AuditConfig = z.infer<typeof auditConfigSchema>;

export function auditConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  return loadConfig(auditConfigSchema, env);
}
