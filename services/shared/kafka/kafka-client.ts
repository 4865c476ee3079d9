import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from '../observability/logger';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs logs through the service's pino logger instead of the console. */
function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...rest } = log;
      logger[levels[level] ?? 'info']({ kafka: rest }, message);
    };
}

export function createKafka(brokers: string, clientId: string, logger?: Logger): Kafka {
  return new Kafka({
    clientId,
    brokers: brokers.split(','),
    // kafkajs' own INFO is chatty (every group join); warnings and errors matter.
    logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
    ...(logger ? { logCreator: pinoLogCreator(logger) } : {}),
  });
}
