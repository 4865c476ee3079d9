import { Command } from 'commander';
import { connectorsCliConfig } from './cli/connectors-config';
import { CONFIG_ERROR_EXIT, ConfigError } from './shared/config/load-config';
import { messageOf } from './shared/errors/message-of';
import { provision } from './provision';

/**
 * `node dist/services/provision-job.js`: provisions what the services expect (migrations,
 * schemas, topics, connectors: provision.ts) on a stack that runs elsewhere, then exits. It is
 * what runs before the services where each runs in a container of its own: compose's
 * `provision` service, a Kubernetes Job. The main job (main.ts) does the same itself.
 * CONNECTORS_STATE_DIR must be writable (a container's /tmp, or a volume to keep rollbacks).
 */
const program = new Command('provision')
  .description('provision the stack for the services (migrations, schemas, topics, connectors) and exit')
  .action(async () => {
    let config;
    try {
      config = connectorsCliConfig();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`provision: ${error.message}\n`);
      process.exit(CONFIG_ERROR_EXIT);
    }
    await provision(config, (line) => console.log(line), config.CONNECTORS_STATE_DIR);
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`provision: ${messageOf(error)}\n`);
  process.exit(1);
});
