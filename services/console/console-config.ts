import { z } from 'zod';
import { infrastructureSchema } from '../shared/service/infrastructure';
import { loadConfig } from '../shared/config/load-config';
import { millisecondsVariable, portVariable } from '../shared/config/variables';

/**
 * The console's settings. The other services are found on 127.0.0.1 at the ports their own
 * variables give (the same variables they read), so `npm start` and the tests, which set
 * those ports for every child, need nothing console-specific.
 */
export const consoleConfigSchema = infrastructureSchema.extend({
  CONSOLE_OIDC_CLIENT_ID: z
    .string()
    .min(1)
    .default('deedstream-console')
    .describe(
      "the console's public client at the identity provider: authorization code flow with PKCE, its callback http://<host>/session/callback",
    ),
  CONSOLE_PORT: portVariable(3000, 'the web console'),
  CONSOLE_UPSTREAM_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:[\]{}_-]+$/, 'a host name or address, where {service} stands for each service name')
    .default('127.0.0.1')
    .describe(
      'host the other services listen on (each at its *_PORT); {service} stands for the service name where each has a host of its own (compose: {service} reaches http://property:3001 and so on)',
    ),
  PROPERTY_PORT: portVariable(3001, 'the property service (as the console reaches it)'),
  SEARCH_PORT: portVariable(3002, 'the search service (as the console reaches it)'),
  ANALYTICS_PORT: portVariable(3003, 'the analytics service (as the console reaches it)'),
  TRANSACTION_PORT: portVariable(3004, 'the transaction service (as the console reaches it)'),
  PAYMENT_PORT: portVariable(3005, 'the payment service (as the console reaches it)'),
  CONTRACT_PORT: portVariable(3006, 'the contract service (as the console reaches it)'),
  TITLE_PORT: portVariable(3007, 'the title service (as the console reaches it)'),
  PEOPLE_PORT: portVariable(3008, 'the People service (as the console reaches it)'),
  VALUATION_PORT: portVariable(3009, 'the valuation service (as the console reaches it)'),
  AUDIT_PORT: portVariable(3010, 'the audit service (as the console reaches it)'),
  CONSOLE_LAG_SAMPLE_MS: millisecondsVariable(5_000, 'how often the console samples consumer lag').pipe(
    z.number().min(500, 'at least 500'),
  ),
  CONSOLE_LAG_WINDOW_MS: millisecondsVariable(600_000, 'how much consumer lag history the console keeps'),
  CONSOLE_SESSION_MAX: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(10_000)
    .describe(
      'console sessions held at most (in memory); signing in beyond them signs out the least recently used',
    ),
  CONSOLE_SESSION_IDLE_MS: millisecondsVariable(
    1_800_000,
    'a console session unused this long is signed out (the refresh token may end it sooner)',
  ),
});

export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;

export function consoleConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  return loadConfig(consoleConfigSchema, env);
}

/** The services the console calls, by name, and their base URLs. */
export function upstreamsOf(config: ConsoleConfig): Record<UpstreamName, string> {
  const at = (service: UpstreamName, port: number) =>
    `http://${config.CONSOLE_UPSTREAM_HOST.replaceAll('{service}', service)}:${port}`;
  return {
    property: at('property', config.PROPERTY_PORT),
    search: at('search', config.SEARCH_PORT),
    analytics: at('analytics', config.ANALYTICS_PORT),
    transaction: at('transaction', config.TRANSACTION_PORT),
    payment: at('payment', config.PAYMENT_PORT),
    contract: at('contract', config.CONTRACT_PORT),
    title: at('title', config.TITLE_PORT),
    people: at('people', config.PEOPLE_PORT),
    valuation: at('valuation', config.VALUATION_PORT),
    audit: at('audit', config.AUDIT_PORT),
  };
}

export const upstreamNames = [
  'property',
  'search',
  'analytics',
  'transaction',
  'payment',
  'contract',
  'title',
  'people',
  'valuation',
  'audit',
] as const;
export type UpstreamName = (typeof upstreamNames)[number];
