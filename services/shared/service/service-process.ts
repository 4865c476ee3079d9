import { CONFIG_ERROR_EXIT, ConfigError } from '../config/load-config';
import { createLogger } from '../observability/logger';
import type { Tracing } from '../observability/tracing';
import type { ServiceDefinition } from './service-definition';
import { startService, type RunningService } from './start-service';

export { CONFIG_ERROR_EXIT };

/**
 * Runs one service as this process, as a container or a supervisor's child would: starts
 * it, stops it gracefully on SIGTERM/SIGINT (or when its supervisor goes away) within
 * SHUTDOWN_TIMEOUT_MS, and ends the process on anything it cannot recover from (an
 * uncaught exception, a consumer kafkajs gave up on), logged with its context, so the
 * supervisor starts a fresh one.
 */
export async function runServiceProcess(
  definition: ServiceDefinition,
  options: { tracing?: Tracing | undefined } = {},
): Promise<void> {
  const logger = createLogger(definition.name, process.env.LOG_LEVEL || 'info');
  process.on('uncaughtException', (error, origin) => {
    logger.fatal({ err: error, origin }, 'uncaught exception; exiting so that the process is restarted');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection; exiting so that the process is restarted');
    process.exit(1);
  });

  let service: RunningService | undefined;
  let stopping = false;
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    const timeoutMs = service?.config.SHUTDOWN_TIMEOUT_MS ?? 10_000;
    logger.info(`${why}: stopping (in-flight work gets at most ${timeoutMs} ms)`);
    setTimeout(() => {
      logger.error(`still stopping after ${timeoutMs} ms; exiting anyway`);
      process.exit(1);
    }, timeoutMs).unref();
    await service?.stop();
    // The spans of the last requests and messages are still buffered: send them before exiting.
    await options.tracing
      ?.shutdown()
      .catch((error: unknown) => logger.warn({ err: error }, 'tracing: could not flush the last spans'));
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // A supervisor's child: if the supervisor dies, nobody would stop or restart this process.
  if (process.send) process.on('disconnect', () => void shutdown('supervisor gone'));

  try {
    service = await startService(definition);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${definition.name}: ${error.message}\n`);
      process.exit(CONFIG_ERROR_EXIT);
    }
    logger.fatal({ err: error }, 'could not start; exiting');
    process.exit(1);
  }
  service.runtime.onFatal(() => process.exit(1));
  logger.info(
    { pid: process.pid, port: service.port, workers: service.workers.map((w) => w.name) },
    `${definition.name} serving on ${service.url}`,
  );
}
