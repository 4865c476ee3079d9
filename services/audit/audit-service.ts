import { groupSettingsOf } from '../shared/service/infrastructure';
import { consumerRetryPolicy } from '../shared/messaging/message-consumer';
import type { ServiceDefinition } from '../shared/service/service-definition';
import type { Kysely } from 'kysely';
import { auditConfig, type AuditConfig } from './audit-config';
import { AUDIT_SCHEMA, type AuditTables } from './audit-tables';
import { auditApi } from './api/audit-openapi';
import { auditRoutes } from './api/audit-routes';
import { AuditRecorder } from './recording/audit-recorder';
import { auditedTopics } from './recording/audited-topics';

/** What tests reach inside a running audit service. */
export interface AuditInternals {
  db: Kysely<AuditTables>;
  recorder: AuditRecorder;
}

/**
 * The audit trail: a consumer group (`audit.recorder`) records every event and saga message
 * that crosses Kafka in its own append-only table, and GET /audit lets the compliance desk
 * and operators ask who did what, when, and in which purchase.
 */
export const auditService: ServiceDefinition<AuditConfig, AuditInternals> = {
  name: 'audit',
  summary: `GET /audit; recorder group audit.recorder ← ${auditedTopics.join(', ')}`,
  api: auditApi,
  loadConfig: auditConfig,
  port: (config) => config.AUDIT_PORT,

  async build(config, runtime) {
    const db = runtime.database<AuditTables>(AUDIT_SCHEMA, config.AUDIT_DB_POOL);
    const recorder = new AuditRecorder(
      { kafka: runtime.kafka, db, logger: runtime.logger, onFatal: (error) => runtime.fatal(error) },
      {
        groupId: 'audit.recorder',
        topics: auditedTopics,
        group: groupSettingsOf(config),
        retry: consumerRetryPolicy(config),
        partitionsConcurrently: 4,
      },
    );
    return {
      routes: auditRoutes(db),
      workers: [recorder],
      details: () => ({ consumer: recorder.membership.view() }),
      internals: { db, recorder },
    };
  },
};
