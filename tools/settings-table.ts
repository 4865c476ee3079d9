import { z } from 'zod';
import { analyticsConfigSchema } from '../services/analytics/analytics-config';
import { connectorsCliSchema } from '../services/cli/connectors-config';
import { consoleConfigSchema } from '../services/console/console-config';
import { contractConfigSchema } from '../services/contract/contract-config';
import { paymentConfigSchema } from '../services/payment/payment-config';
import { peopleConfigSchema } from '../services/people/people-config';
import { valuationConfigSchema } from '../services/valuation/valuation-config';
import { auditConfigSchema } from '../services/audit/audit-config';
import { propertyConfigSchema } from '../services/property/property-config';
import { searchConfigSchema } from '../services/search/search-config';
import { authSchema, tokenClientSchema } from '../services/shared/auth/auth-config';
import { infrastructureSchema } from '../services/shared/service/infrastructure';
import { tracingSchema } from '../services/shared/observability/tracing-config';
import { titleConfigSchema } from '../services/title/title-config';
import { transactionConfigSchema } from '../services/transaction/transaction-config';
import { stackSettingsSchema } from '../stack/stack-settings';

/** Who reads a set of variables, and the schema that validates them. */
interface Reader {
  who: string;
  schema: z.ZodObject;
}

/**
 * Every schema a process validates its environment with, most general first: a variable is
 * documented where it first appears, and "used by" names the readers that have it (the
 * infrastructure's variables are read by every service and CLI).
 */
const readers: readonly Reader[] = [
  { who: 'every service and CLI', schema: infrastructureSchema },
  { who: 'every API (token verification)', schema: authSchema },
  { who: 'service processes', schema: tracingSchema },
  { who: 'property', schema: propertyConfigSchema },
  { who: 'search', schema: searchConfigSchema },
  { who: 'analytics', schema: analyticsConfigSchema },
  { who: 'transaction', schema: transactionConfigSchema },
  { who: 'payment', schema: paymentConfigSchema },
  { who: 'contract', schema: contractConfigSchema },
  { who: 'title', schema: titleConfigSchema },
  { who: 'people', schema: peopleConfigSchema },
  { who: 'valuation', schema: valuationConfigSchema },
  { who: 'audit', schema: auditConfigSchema },
  { who: 'console', schema: consoleConfigSchema },
  { who: '`npm run token`', schema: tokenClientSchema },
  { who: '`npm run connectors`', schema: connectorsCliSchema },
  { who: 'the stack manager and `npm start`', schema: stackSettingsSchema },
];

export interface Setting {
  name: string;
  /** The default as written in the environment, per reader where they differ. */
  defaults: string;
  description: string;
  usedBy: string;
}

/** The default a variable takes when unset, as one would write it in the environment. */
function defaultOf(type: z.core.$ZodType): string | undefined {
  if (type instanceof z.ZodDefault) {
    const value: unknown = type.def.defaultValue;
    return typeof value === 'string' ? value : JSON.stringify(value);
  }
  if (type instanceof z.ZodPipe) return defaultOf(type.in);
  return undefined;
}

/** What the readers of one variable say of it. */
interface Variable {
  description: string;
  /** Each default shown, with the readers that have it. */
  defaults: Map<string, string[]>;
  readers: string[];
}

/** A variable's description; a checked variable (`.pipe`) keeps it on what it checks. */
function descriptionOf(type: z.core.$ZodType): string | undefined {
  const described = z.globalRegistry.get(type)?.description;
  if (described) return described;
  return type instanceof z.ZodPipe ? descriptionOf(type.in) : undefined;
}

/** Every variable of every reader, in the readers' order; throws for one with no description. */
export function settings(): Setting[] {
  const byName = new Map<string, Variable>();
  for (const { who, schema } of readers) {
    for (const [name, field] of Object.entries(schema.shape)) {
      if (!(field instanceof z.ZodType)) continue;
      const description = descriptionOf(field);
      if (!description) throw new Error(`${name} (read by ${who}) has no description: add .describe(…)`);
      const shown = defaultOf(field) ?? (field.safeParse(undefined).success ? 'unset' : 'required');
      const entry: Variable = byName.get(name) ?? { description, defaults: new Map(), readers: [] };
      entry.readers.push(who);
      entry.defaults.set(shown, [...(entry.defaults.get(shown) ?? []), who]);
      byName.set(name, entry);
    }
  }
  return [...byName].map(([name, { description, defaults, readers: whoReads }]) => ({
    name,
    defaults:
      defaults.size === 1
        ? code([...defaults.keys()][0] ?? '')
        : [...defaults].map(([value, who]) => `${code(value)} (${who.join(', ')})`).join(', '),
    description,
    usedBy: whoReads.includes('every service and CLI') ? 'every service and CLI' : whoReads.join(', '),
  }));
}

function code(value: string): string {
  if (value === 'unset' || value === 'required') return value;
  return value === '' ? '`""`' : `\`${value}\``;
}

/** A table cell: pipes escaped, and angle brackets, which Markdown would take for HTML. */
const escapeCell = (text: string) =>
  text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, ' ');

/** The settings as a Markdown table, as docs/configuration.md holds it. */
export function settingsTable(): string {
  const rows = settings().map(
    (s) =>
      `| \`${s.name}\` | ${escapeCell(s.defaults)} | ${escapeCell(s.usedBy)} | ${escapeCell(s.description)} |`,
  );
  return ['| variable | default | used by | what it sets |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
