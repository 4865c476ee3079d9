import type { Router } from 'express';
import { sql, type Kysely } from 'kysely';
import type { EventSchema } from '../codec/event-schema';
import type { InfrastructureConfig } from '../config/infrastructure';
import { createServiceApp } from '../http/service-app';
import { createServiceRuntime, HttpListener, type ServiceRuntime } from '../service/service-runtime';
import type { CommandHandler } from './command-processor';
import type { MessagingTables } from './messaging-tables';
import { createParticipant, type Participant } from './participant';

export interface ParticipantServiceDefinition<DB extends MessagingTables> {
  service: string;
  schema: string;
  port: number;
  pool: number;
  commandSchemas: () => Promise<EventSchema[]>;
  handlers: (db: Kysely<DB>) => Readonly<Record<string, CommandHandler>>;
  routes: (db: Kysely<DB>) => Router;
}

/** A saga participant process: its command handler plus its HTTP API. */
export interface ParticipantService<DB> {
  runtime: ServiceRuntime<DB>;
  participant: Participant;
  http: HttpListener;
  /** Starts consuming and serving HTTP (on `port`, default from the configuration; 0 = any free port). */
  start(port?: number): Promise<void>;
  close(): Promise<void>;
}

export async function createParticipantService<DB extends MessagingTables>(
  config: InfrastructureConfig,
  definition: ParticipantServiceDefinition<DB>,
): Promise<ParticipantService<DB>> {
  const runtime = createServiceRuntime<DB>(definition.service, config, {
    schema: definition.schema,
    pool: definition.pool,
  });
  const participant = await createParticipant(
    runtime,
    definition.commandSchemas,
    definition.handlers(runtime.db),
  );
  const app = createServiceApp({
    logger: runtime.logger,
    metrics: runtime.metrics,
    routes: (a) => a.use(definition.routes(runtime.db)),
    health: async () => {
      await sql`SELECT 1`.execute(runtime.db);
      return { database: 'up', commands: participant.consumer.running ? 'consuming' : 'stopped' };
    },
  });
  const http = new HttpListener(app, definition.port);
  return {
    runtime,
    participant,
    http,
    start: async (port?: number) => {
      await participant.consumer.start();
      await http.listen(port);
    },
    close: async () => {
      await http.close();
      await participant.consumer.stop();
      await runtime.db.destroy();
    },
  };
}
