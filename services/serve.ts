import { Command } from 'commander';
import { serviceNamed, serviceNames } from './catalog';
import { runServiceProcess } from './shared/service/service-process';

/**
 * `npm run service -- <name>`: runs one service as this process (what a container or a
 * systemd unit runs). It expects the stack to be provisioned (`npm start` does that).
 */
const program = new Command('service')
  .description('run one deedstream service in the foreground')
  .argument('<name>', `one of ${serviceNames.join(', ')}`)
  .action(async (name: string) => {
    await runServiceProcess(serviceNamed(name));
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`service: ${(error as Error).message}\n`);
  process.exit(2);
});
