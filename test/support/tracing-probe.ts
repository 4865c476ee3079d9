/**
 * Run as a process by tracing.int.test.ts: starts tracing from its environment, then
 * loads what the services load, the way services/serve.ts does (a module imported after
 * tracing has started), and prints that module's report as one JSON line.
 */
import { startTracing } from '../../services/shared/observability/tracing';
import { messageOf } from '../../services/shared/errors/message-of';

async function probe(): Promise<void> {
  const tracing = await startTracing('tracing-probe');
  const { instrumentationReport } = await import('./tracing-probe-report');
  const report = { started: tracing !== undefined, ...instrumentationReport() };
  // The export of the probe's span fails where the test points ZIPKIN_URL: nothing listens there.
  await tracing?.shutdown().catch(() => undefined);
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

probe().catch((error: unknown) => {
  process.stderr.write(`${messageOf(error)}\n`);
  process.exit(1);
});
