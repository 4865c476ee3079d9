import { z } from 'zod';
import { loadConfig } from './load-config';

/**
 * Where the shared infrastructure is. Every default points at the native stack
 * (`npm run stack -- up`) and at docker-compose.yml, which publish the same ports.
 */
export const infrastructureSchema = z.object({
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .default('postgres://deedstream:deedstream@127.0.0.1:5433/deedstream')
    .describe('PostgreSQL holding every service schema (events, outbox, read state)'),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'expected host:port[,host:port…]')
    .default('127.0.0.1:9092')
    .describe('Kafka bootstrap servers, comma-separated'),
  SCHEMA_REGISTRY_URL: z
    .url()
    .default('http://127.0.0.1:8081/apis/ccompat/v7')
    .describe('Confluent-compatible schema registry API (Apicurio ccompat v7)'),
  ELASTICSEARCH_URL: z.url().default('http://127.0.0.1:9200').describe('Elasticsearch HTTP endpoint'),
  CONNECT_URL: z.url().default('http://127.0.0.1:8083').describe('Kafka Connect REST API'),
  CONSUMER_STUCK_WARN_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(3_600_000)
    .default(30_000)
    .describe(
      'consumers and projectors: how long transient retries may block a partition before it is logged and counted as stuck',
    ),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export type InfrastructureConfig = z.infer<typeof infrastructureSchema>;

export function infrastructureConfig(env: NodeJS.ProcessEnv = process.env): InfrastructureConfig {
  return loadConfig(infrastructureSchema, env);
}
