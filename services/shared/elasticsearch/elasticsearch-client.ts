import { Client } from '@elastic/elasticsearch';
import { commaSeparated } from '../config/variables';

export interface ElasticsearchClientOptions {
  /**
   * For services, whose answer to a dependency that is down is a 503 at once: no retry on the
   * same node, and a request that finds one node gone tries each other node once (a cluster
   * with a node down keeps answering). Unset: the client's defaults (three retries).
   */
  failFast?: boolean;
}

/** A client of every node in ELASTICSEARCH_URL, spreading requests over those alive. */
export function elasticsearchClient(url: string, options: ElasticsearchClientOptions = {}): Client {
  const nodes = commaSeparated(url);
  if (!options.failFast) return new Client({ nodes });
  return new Client({ nodes, requestTimeout: 30_000, maxRetries: nodes.length - 1 });
}
