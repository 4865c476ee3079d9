import { errors as es, type DiagnosticResult } from '@elastic/elasticsearch';
import {
  KafkaJSConnectionError,
  KafkaJSLockTimeout,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
} from 'kafkajs';
import { DatabaseError } from 'pg';
import { DomainError } from './domain-error';
import { ConcurrencyError } from './concurrency-error';
import { UndecodableMessageError } from '../kafka/relayed-message';
import { isTransient, TransientError } from './transient';

/** A broker's error code as kafkajs turns it into an error (its protocol error table entry). */
function brokerError(type: string, code: number, retriable: boolean, message: string): KafkaJSProtocolError {
  return new KafkaJSProtocolError(Object.assign(new Error(message), { type, code, retriable }));
}

// kafkajs' typings omit the message its timeout errors' constructors require.
const LockTimeout: new (message: string) => KafkaJSLockTimeout = KafkaJSLockTimeout;

/** A server error as pg-protocol's parser builds it from an ErrorResponse message. */
function postgresError(code: string, message: string): DatabaseError {
  const error = new DatabaseError(message, 100, 'error');
  error.severity = 'ERROR';
  error.code = code;
  return error;
}

/** A socket error as Node's net module reports it (a SystemError with code, errno, syscall). */
function socketError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, errno: -1, syscall: 'connect' });
}

/** What an Elasticsearch response looks like to the client's ResponseError. */
function elasticResponse(statusCode: number): DiagnosticResult {
  return {
    statusCode,
    body: { error: { type: statusCode === 429 ? 'es_rejected_execution_exception' : 'some_exception' } },
    headers: {},
    warnings: null,
    meta: {
      context: null,
      name: 'elasticsearch-js',
      request: { params: { method: 'POST', path: '/_bulk' }, options: {}, id: 1 },
      connection: null,
      attempts: 0,
      aborted: false,
    },
  };
}

/**
 * The registry client's (unexported) error, in the shape @kafkajs/confluent-schema-registry
 * 3.9 gives it: name, HTTP status, request url, and the response's text in the message.
 * A request that got no answer is status 400 with the socket error's text.
 */
class RegistryResponseError extends Error {
  readonly unauthorized = false;
  constructor(
    readonly status: number,
    text: string,
    readonly url = 'get http://127.0.0.1:8081/apis/ccompat/v7/schemas/ids/7',
  ) {
    super(`Confluent_Schema_Registry - ${text}`);
    this.name = 'ResponseError';
  }
}

describe('isTransient', () => {
  describe('Postgres', () => {
    it.each([
      ['08006', 'connection_failure'],
      ['08003', 'connection_does_not_exist'],
      ['08P01', 'protocol_violation'],
      ['40001', 'could not serialize access due to concurrent update'],
      ['40P01', 'deadlock detected'],
      ['53300', 'sorry, too many clients already'],
      ['53100', 'could not extend file: No space left on device'],
      ['53200', 'out of memory'],
      ['55P03', 'canceling statement due to lock timeout'],
      ['57014', 'canceling statement due to statement timeout'],
      ['57P01', 'terminating connection due to administrator command'],
      ['57P02', 'terminating connection due to crash of another server process'],
      ['57P03', 'the database system is starting up'],
      ['57P05', 'terminating connection due to idle-session timeout'],
    ])('retries SQLSTATE %s (%s)', (code, message) => {
      expect(isTransient(postgresError(code, message))).toBe(true);
    });

    it.each([
      ['23505', 'duplicate key value violates unique constraint "inbox_pk"'],
      ['23514', 'new row violates check constraint'],
      ['42P01', 'relation "payment.accounts" does not exist'],
      ['42703', 'column "nope" does not exist'],
      ['22P02', 'invalid input syntax for type uuid'],
      ['P0001', 'events are append-only'],
    ])('does not retry SQLSTATE %s (%s)', (code, message) => {
      expect(isTransient(postgresError(code, message))).toBe(false);
    });

    it.each([
      'Connection terminated unexpectedly',
      'timeout exceeded when trying to connect',
      'Client has encountered a connection error and is not queryable',
    ])('retries node-postgres losing its connection: %s', (message) => {
      expect(isTransient(new Error(message))).toBe(true);
    });

    it("retries pg-pool's connection timeout, which wraps the socket's end", () => {
      const error = new Error('Connection terminated due to connection timeout', {
        cause: new Error('Connection terminated unexpectedly'),
      });
      expect(isTransient(error)).toBe(true);
    });

    it('does not retry a client that we closed ourselves', () => {
      expect(isTransient(new Error('Client was closed and is not queryable'))).toBe(false);
      expect(isTransient(new Error('Connection terminated'))).toBe(false);
    });
  });

  describe('sockets', () => {
    it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EAI_AGAIN'])(
      'retries %s',
      (code) => {
        expect(isTransient(socketError(code, `connect ${code} 127.0.0.1:5433`))).toBe(true);
      },
    );

    it('retries a failed connection to every address of a host (AggregateError)', () => {
      const error = new AggregateError([
        socketError('ECONNREFUSED', 'connect ECONNREFUSED ::1:5433'),
        socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5433'),
      ]);
      expect(isTransient(error)).toBe(true);
    });

    it('does not retry other system errors', () => {
      expect(isTransient(socketError('EACCES', 'permission denied'))).toBe(false);
    });
  });

  describe('Kafka', () => {
    const connectionError = () =>
      new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092', {
        broker: '127.0.0.1:9092',
      });

    it('retries what kafkajs marks retriable', () => {
      expect(
        isTransient(
          brokerError('LEADER_NOT_AVAILABLE', 5, true, 'There is no leader for this topic-partition'),
        ),
      ).toBe(true);
      expect(isTransient(connectionError())).toBe(true);
      expect(
        isTransient(
          new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out', {
            broker: '127.0.0.1:9092',
            clientId: 'deedstream-payment',
            correlationId: 12,
            createdAt: 0,
            sentAt: 0,
            pendingDuration: 0,
          }),
        ),
      ).toBe(true);
    });

    it('retries once kafkajs has used up its own retries', () => {
      const exhausted = new KafkaJSNumberOfRetriesExceeded(connectionError(), {
        retryCount: 5,
        retryTime: 8000,
      });
      expect(exhausted.retriable).toBe(false);
      expect(isTransient(exhausted)).toBe(true);
    });

    it('retries waiting for a lock on the cluster', () => {
      expect(isTransient(new LockTimeout('Timeout while acquiring lock (3 waiting locks)'))).toBe(true);
    });

    it('does not retry what kafkajs gives up on at once', () => {
      const refused = brokerError(
        'TOPIC_AUTHORIZATION_FAILED',
        29,
        false,
        'Not authorized to access topics: [Topic authorization failed]',
      );
      expect(isTransient(refused)).toBe(false);
      expect(isTransient(new KafkaJSNonRetriableError(refused))).toBe(false);
      expect(isTransient(new KafkaJSNonRetriableError(new TypeError('x is not a function')))).toBe(false);
    });
  });

  describe('schema registry', () => {
    it('retries a registry that does not answer', () => {
      for (const text of [
        'Error, status 400: connect ECONNREFUSED 127.0.0.1:8081',
        'Error, status 400: read ECONNRESET',
        'Error, status 400: socket hang up',
        'Error, status 400: Timeout (10000ms)',
      ]) {
        expect(isTransient(new RegistryResponseError(400, text))).toBe(true);
      }
    });

    it('retries a registry that answers 5xx, 408 or 429', () => {
      for (const status of [500, 502, 503, 408, 429])
        expect(isTransient(new RegistryResponseError(status, `Error, status ${status}`))).toBe(true);
    });

    it('does not retry an unknown schema or a refused request', () => {
      expect(isTransient(new RegistryResponseError(404, 'Schema 2130706433 not found.'))).toBe(false);
      expect(isTransient(new RegistryResponseError(422, 'Invalid schema'))).toBe(false);
      expect(isTransient(new RegistryResponseError(400, 'Error, status 400: bad request'))).toBe(false);
    });
  });

  describe('Elasticsearch', () => {
    it('retries connection errors, timeouts and no living connections', () => {
      expect(isTransient(new es.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200'))).toBe(true);
      expect(isTransient(new es.TimeoutError('Request timed out'))).toBe(true);
      expect(
        isTransient(new es.NoLivingConnectionsError('There are no living connections', elasticResponse(503))),
      ).toBe(true);
    });

    it('retries 429 and 5xx responses, not other 4xx', () => {
      expect(isTransient(new es.ResponseError(elasticResponse(429)))).toBe(true);
      expect(isTransient(new es.ResponseError(elasticResponse(503)))).toBe(true);
      expect(isTransient(new es.ResponseError(elasticResponse(400)))).toBe(false);
      expect(isTransient(new es.ResponseError(elasticResponse(409)))).toBe(false);
    });
  });

  describe('the application', () => {
    it('retries TransientError and optimistic-concurrency conflicts', () => {
      expect(isTransient(new TransientError('document changed while this batch was applied'))).toBe(true);
      expect(isTransient(new ConcurrencyError('account-1', 3))).toBe(true);
    });

    it('does not retry refusals, undecodable messages, bugs or non-errors', () => {
      expect(isTransient(new DomainError('insufficient-funds', 'Balance too low'))).toBe(false);
      expect(isTransient(new UndecodableMessageError('missing correlationId header'))).toBe(false);
      expect(isTransient(new TypeError("Cannot read properties of undefined (reading 'amount')"))).toBe(
        false,
      );
      expect(isTransient('ECONNREFUSED')).toBe(false);
      expect(isTransient(undefined)).toBe(false);
    });

    it('looks through wrappers at their cause', () => {
      const wrapped = new Error('handler failed', { cause: postgresError('40P01', 'deadlock detected') });
      expect(isTransient(wrapped)).toBe(true);
      const permanent = new Error('handler failed', { cause: postgresError('23505', 'duplicate key') });
      expect(isTransient(permanent)).toBe(false);
    });
  });
});
