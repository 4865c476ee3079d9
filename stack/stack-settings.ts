import { z } from 'zod';
import { StackError } from './errors';

/** The components that run in a JVM, by the prefix of their variables. */
export const jvmComponents = {
  KAFKA: { title: 'Kafka', heap: '256m' },
  CONNECT: { title: 'Kafka Connect', heap: '256m' },
  ELASTICSEARCH: { title: 'Elasticsearch', heap: '512m' },
  REGISTRY: { title: 'Apicurio Registry', heap: '128m' },
  KEYCLOAK: { title: 'Keycloak', heap: '256m' },
  ZIPKIN: { title: 'Zipkin', heap: '192m' },
} as const;

export type JvmComponent = keyof typeof jvmComponents;

export const HEAP_SIZE = /^(\d+)([mg])$/;

const heapVariable = (component: JvmComponent) =>
  z
    .string()
    .regex(HEAP_SIZE, 'a heap size like 512m or 1g')
    .default(jvmComponents[component].heap)
    .describe(`heap cap of ${jvmComponents[component].title}'s JVM (it starts at a quarter of it)`);

const javaOptsVariable = (component: JvmComponent) =>
  z
    .string()
    .optional()
    .describe(`extra JVM flags of ${jvmComponents[component].title}, after its own (so they win)`);

/**
 * What the native stack manager (`npm run stack`) and `npm start` read from the
 * environment. The stack reads each where it needs it; this schema is their one list,
 * their defaults and their checks.
 */
export const stackSettingsSchema = z.object({
  DEEDSTREAM_STACK_DIR: z
    .string()
    .min(1)
    .optional()
    .describe('where the stack keeps downloads, data, logs and run files (unset: <repo>/.stack)'),
  DEEDSTREAM_STACK_PROFILE: z
    .enum(['light', 'cluster'])
    .optional()
    .describe(
      'the topology `npm run stack` works on: light (one of each) or cluster (3 Kafka brokers, 2 Connect workers, 2 Elasticsearch data nodes and a tiebreaker) (unset: the profile `up` last started, else light)',
    ),
  PG_BIN: z
    .string()
    .min(1)
    .optional()
    .describe(
      "folder of Postgres's initdb and postgres (unset: pg_config --bindir, else the newest /usr/lib/postgresql/*/bin)",
    ),
  JAVA_HOME: z
    .string()
    .min(1)
    .optional()
    .describe(
      'the JDK for Kafka, Connect and Elasticsearch (unset: java on PATH); a JDK 21+ under /usr/lib/jvm serves Apicurio and Keycloak',
    ),
  KAFKA_HEAP: heapVariable('KAFKA'),
  CONNECT_HEAP: heapVariable('CONNECT'),
  ELASTICSEARCH_HEAP: heapVariable('ELASTICSEARCH'),
  REGISTRY_HEAP: heapVariable('REGISTRY'),
  KEYCLOAK_HEAP: heapVariable('KEYCLOAK'),
  ZIPKIN_HEAP: heapVariable('ZIPKIN'),
  KAFKA_JAVA_OPTS: javaOptsVariable('KAFKA'),
  CONNECT_JAVA_OPTS: javaOptsVariable('CONNECT'),
  ELASTICSEARCH_JAVA_OPTS: javaOptsVariable('ELASTICSEARCH'),
  REGISTRY_JAVA_OPTS: javaOptsVariable('REGISTRY'),
  KEYCLOAK_JAVA_OPTS: javaOptsVariable('KEYCLOAK'),
  ZIPKIN_JAVA_OPTS: javaOptsVariable('ZIPKIN'),
  ZIPKIN_MAX_SPANS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(50_000)
    .describe('spans Zipkin keeps in memory before dropping the oldest traces: what bounds its heap'),
  DEEDSTREAM_EXTERNAL_STACK: z
    .enum(['true', 'false'], { error: 'true or false' })
    .default('false')
    .describe('`npm start` uses components started elsewhere (e.g. docker compose) instead of `stack up`'),
  DEEDSTREAM_REPLICAS: z
    .string()
    .optional()
    .describe('`npm start`: processes per service when no --replicas is given, e.g. search=2,property=2'),
});

type StackSettings = z.infer<typeof stackSettingsSchema>;

/**
 * One stack setting, checked: unset or empty takes its default; a bad value is a
 * StackError naming the variable and what it expects.
 */
export function stackSetting<K extends keyof StackSettings>(
  name: K,
  env: NodeJS.ProcessEnv = process.env,
): StackSettings[K] {
  const raw = env[name];
  const result = stackSettingsSchema.shape[name].safeParse(raw === '' ? undefined : raw);
  if (!result.success) {
    const expected = result.error.issues[0]?.message ?? 'a valid value';
    throw new StackError(`${name}=${raw} is not valid`, `expected ${expected}`);
  }
  // The field of the schema named K parses to StackSettings[K]; TypeScript loses the link in the lookup.
  return result.data as StackSettings[K];
}
