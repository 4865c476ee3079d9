import { errors } from '@elastic/elasticsearch';
import { KafkaJSError } from 'kafkajs';
import { messageOf } from '../errors/message-of';

/**
 * Which dependency a transient failure came from, for the 503 a client gets (the
 * problem names it; the error's own text, with hosts and ports, stays in the log).
 */
export function unavailableDependency(error: unknown): string {
  if (error instanceof errors.ElasticsearchClientError) return 'the search index (Elasticsearch)';
  if (error instanceof KafkaJSError) return 'the message broker (Kafka)';
  const text = messageOf(error);
  if (/schema registry/i.test(text)) return 'the schema registry';
  return 'the database';
}
