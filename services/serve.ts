import { Command } from 'commander';
import { CONFIG_ERROR_EXIT, ConfigError } from './shared/config/load-config';
import { startTracing } from './shared/observability/tracing';
import { messageOf } from './shared/errors/message-of';

/**
 * `npm run service -- <name>`: runs one service as this process (what a container or a
 * systemd unit runs). It expects the stack to be provisioned (`npm start` does that).
 *
 * Tracing starts first, so the tracer provider is in place before any module of the service
 * (loaded by the catalog, imported afterwards) asks the OpenTelemetry API for a tracer.
 */
const program = new Command('service')
  .description('run one deedstream service in the foreground')
  .argument('<name>', 'a service of services/catalog.ts: property, search, analytics, transaction, …')
  .action(async (name: string) => {
    let tracing: Awaited<ReturnType<typeof startTracing>>;
    try {
      tracing = await startTracing(name);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`${name}: ${error.message}\n`);
      process.exit(CONFIG_ERROR_EXIT);
    }
    const { serviceNamed } = await import('./catalog');
    const { runServiceProcess } = await import('./shared/service/service-process');
    await runServiceProcess(serviceNamed(name), { tracing });
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`service: ${messageOf(error)}\n`);
  process.exit(2);
});
