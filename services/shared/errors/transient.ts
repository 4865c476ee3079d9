import { types } from 'node:util';
import { errors as es } from '@elastic/elasticsearch';
import {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSRequestTimeoutError,
  KafkaJSTimeout,
} from 'kafkajs';
import { DatabaseError } from 'pg';
import { DomainError } from './domain-error';
import { ConcurrencyError } from './concurrency-error';

/** A failure that goes away by itself (a restart, load shedding): retry, never park. */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/**
 * Whether retrying the same work later can succeed. Consumers retry a transient failure
 * in place (the partition waits) and dead-letter anything else, so this must say yes to
 * everything a restart of Postgres, Kafka, the registry or Elasticsearch causes, and no
 * to what is wrong with the message or the code: parking a valid message because a
 * dependency blinked loses its effect, retrying a poison message blocks its partition.
 */
export function isTransient(error: unknown): boolean {
  // Wrappers (pg's connect timeout, kafkajs' non-retriable wrapper, fetch failures) keep
  // the real failure as `cause`; an error this module cannot place defers to its cause.
  // isNativeError, not instanceof: Node's own errors (sockets) come from another realm
  // than the code under Jest's module sandbox, where instanceof Error is false for them.
  let current = error;
  for (let depth = 0; depth < 5 && types.isNativeError(current); depth += 1) {
    const verdict = classify(current);
    if (verdict !== 'unknown') return verdict === 'transient';
    current = current.cause;
  }
  return false;
}

type Verdict = 'transient' | 'permanent' | 'unknown';

function classify(error: Error): Verdict {
  if (error instanceof TransientError) return 'transient';
  // Someone changed the aggregate meanwhile: loading it again and deciding again succeeds.
  if (error instanceof ConcurrencyError) return 'transient';
  if (error instanceof DomainError) return 'permanent';
  if (error instanceof DatabaseError) return postgresVerdict(error.code);
  if (error instanceof KafkaJSError) return kafkaVerdict(error);
  const elastic = elasticsearchVerdict(error);
  if (elastic !== 'unknown') return elastic;
  const registry = registryVerdict(error);
  if (registry !== 'unknown') return registry;
  // An AggregateError: a connection attempt to each address of a host failed.
  if ('errors' in error && Array.isArray(error.errors) && error.errors.length > 0)
    return error.errors.every((e) => isTransient(e)) ? 'transient' : 'unknown';
  if (hasNetworkCode(error) || pgConnectionLost.test(error.message)) return 'transient';
  return 'unknown';
}

/**
 * SQLSTATEs that a retry on a fresh connection or a fresh transaction can get past
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html). 57014
 * (query_canceled) counts: it comes from statement_timeout or pg_cancel_backend, i.e.
 * contention, an overloaded server or an operator, not from the message; a query that
 * is always too slow keeps its partition stuck, which the stuck-partition warning
 * reports, instead of silently dead-lettering valid commands. 55P03 (lock_not_available,
 * lock_timeout) is contention too. 57P05 (idle session timeout) closed the connection.
 */
const transientSqlStates = new Set(['40001', '40P01', '55P03', '57014', '57P01', '57P02', '57P03', '57P05']);
const transientSqlClasses = new Set([
  '08', // connection exception
  '53', // insufficient resources: disk full, out of memory, too many connections
]);

function postgresVerdict(code: string | undefined): Verdict {
  if (code === undefined) return 'unknown';
  return transientSqlStates.has(code) || transientSqlClasses.has(code.slice(0, 2))
    ? 'transient'
    : 'permanent';
}

/**
 * node-postgres reports a lost or never-made connection as a plain Error with one of
 * these messages (pg/lib/client.js, pg-pool): the server restarted, the pool could not
 * connect in time, or a client broken by an earlier connection error was used again.
 */
const pgConnectionLost =
  /^(Connection terminated unexpectedly|Connection terminated due to connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Query read timeout)$/;

/**
 * Socket errors of any client (pg, undici, kafkajs' sockets, http). ENOTFOUND counts: a
 * restarting container's host name is briefly unknown to Docker's DNS; a wrong host name
 * shows as a stuck partition, never as dead-lettered messages.
 */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function hasNetworkCode(error: Error): boolean {
  const code: unknown = 'code' in error ? error.code : undefined;
  return typeof code === 'string' && networkCodes.has(code);
}

/**
 * kafkajs marks what its own retries may get past as `retriable`. Once those retries are
 * used up it throws KafkaJSNumberOfRetriesExceeded (non-retriable to kafkajs, but it only
 * wraps retriable errors): a broker that is restarting takes longer than kafkajs waits.
 * Connection errors, request timeouts and waits for the cluster (KafkaJSTimeout, lock
 * timeouts) are transient whatever flag they carry; other non-retriable errors defer to
 * their cause (kafkajs wraps what it bails on) and are permanent without one.
 */
function kafkaVerdict(error: KafkaJSError): Verdict {
  if (
    error.retriable ||
    error instanceof KafkaJSNumberOfRetriesExceeded ||
    error instanceof KafkaJSConnectionError ||
    error instanceof KafkaJSRequestTimeoutError ||
    error instanceof KafkaJSTimeout
  ) {
    return 'transient';
  }
  return isTransient(error.cause) ? 'transient' : 'permanent';
}

function elasticsearchVerdict(error: Error): Verdict {
  if (
    error instanceof es.ConnectionError ||
    error instanceof es.TimeoutError ||
    error instanceof es.NoLivingConnectionsError
  ) {
    return 'transient';
  }
  if (error instanceof es.ResponseError) {
    const status = error.statusCode ?? 0;
    return status === 429 || status >= 500 ? 'transient' : 'permanent';
  }
  return 'unknown';
}

/**
 * The schema registry client (@kafkajs/confluent-schema-registry over mappersmith) throws
 * an unexported `ResponseError` with the HTTP `status` and the request `url`. A request
 * that never got an answer (connection refused, reset, timed out) becomes status 400
 * with the socket error's text as its message, so 400 alone does not mean a bad request.
 */
function registryVerdict(error: Error): Verdict {
  if (error.name !== 'ResponseError' || !('status' in error) || !('url' in error)) return 'unknown';
  const status = error.status;
  if (typeof status !== 'number') return 'unknown';
  if (status >= 500 || status === 408 || status === 429) return 'transient';
  if (status === 400 && registryUnreachable.test(error.message)) return 'transient';
  return 'permanent';
}

const registryUnreachable =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ENOTFOUND|EPIPE|socket hang up|Timeout \(\d+ms\)/;
