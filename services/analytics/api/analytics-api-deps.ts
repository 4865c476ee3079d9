import type { Client } from '@elastic/elasticsearch';
import type { Request } from 'express';
import { consistencyTokenOf } from '../../shared/http/read-model';

export interface AnalyticsRoutesDeps {
  es: Client;
  /** The alias the market analytics projection writes its per-property documents behind. */
  alias?: string;
  /** Where its facts are; `<alias>-facts` unless given. */
  factsAlias?: string;
  /** Resolves once the write named by a consistency token is searchable; throws a 503 problem on timeout. */
  waitForToken: (token: string) => Promise<void>;
  /** The clock for default ranges and days on market of listed properties (tests pin it). */
  now?: () => Date;
}

/** What the analytics handlers read with: the deps, each default filled in. */
export type AnalyticsReads = Required<AnalyticsRoutesDeps>;

/** Read-your-writes: a client that just wrote passes its token and sees that write. */
export async function awaitConsistency(
  reads: AnalyticsReads,
  req: Request,
  fromQuery: string | undefined,
): Promise<void> {
  const token = consistencyTokenOf(req, fromQuery);
  if (token !== undefined) await reads.waitForToken(token);
}
