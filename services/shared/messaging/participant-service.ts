import type { Router } from 'express';
import type { Kysely } from 'kysely';
import type { EventSchema } from '../codec/event-schema';
import type { InfrastructureConfig } from '../service/infrastructure';
import type { RetentionConfig } from '../config/retention';
import { housekeeping, type RetentionRule } from '../service/housekeeping';
import { outboxRetention } from '../service/retention-rules';
import { inboxRetention } from './inbox-retention';
import type { ApiDescription } from '../http/openapi/api-description';
import type { ServiceDefinition } from '../service/service-definition';
import type { CommandHandler } from './command-processor';
import type { MessagingTables } from './messaging-tables';
import { createParticipant, type Participant } from './participant';

export interface ParticipantServiceSpec<
  C extends InfrastructureConfig & RetentionConfig,
  DB extends MessagingTables,
> {
  service: string;
  summary: string;
  /** Its routes, described (/openapi.json, /docs). */
  api: ApiDescription;
  schema: string;
  loadConfig: (env: NodeJS.ProcessEnv) => C;
  port: (config: C) => number;
  pool: (config: C) => number;
  commandSchemas: () => Promise<EventSchema[]>;
  handlers: (db: Kysely<DB>) => Readonly<Record<string, CommandHandler>>;
  routes: (db: Kysely<DB>) => Router;
  /** Tables of its own that housekeeping keeps short, beside the outbox and inbox. */
  retention?: (db: Kysely<DB>, config: C) => RetentionRule[];
}

/** What tests reach inside a running saga participant. */
export interface ParticipantInternals<DB> {
  db: Kysely<DB>;
  participant: Participant;
}

/**
 * A saga participant service (payment, contract, title): its command handler on
 * `<service>.commands`, its HTTP API, and housekeeping of its outbox and inbox.
 */
export function participantService<
  C extends InfrastructureConfig & RetentionConfig,
  DB extends MessagingTables,
>(spec: ParticipantServiceSpec<C, DB>): ServiceDefinition<C, ParticipantInternals<DB>> {
  return {
    name: spec.service,
    summary: spec.summary,
    api: spec.api,
    loadConfig: spec.loadConfig,
    port: spec.port,
    async build(config, runtime) {
      const db = runtime.database<DB>(spec.schema, spec.pool(config));
      const participant = await createParticipant(runtime, db, spec.commandSchemas, spec.handlers(db));
      return {
        routes: spec.routes(db),
        workers: [
          participant.consumer,
          housekeeping(
            [
              outboxRetention(db, config),
              inboxRetention(db, config),
              ...(spec.retention?.(db, config) ?? []),
            ],
            config.HOUSEKEEPING_INTERVAL_MS,
            runtime.logger,
          ),
        ],
        details: () => ({ commands: participant.consumer.membership.view() }),
        internals: { db, participant },
      };
    },
  };
}
