/**
 * `npm run image -- <command>`: the services' container image with Debian's podman, on a base
 * image assembled from Debian packages (tools/container-image.ts says how and why). Needs root
 * and `apt-get install -y --no-install-recommends podman runc debootstrap`.
 */
import { Command } from 'commander';
import { buildServiceImage, ensureBaseImage } from './container-image';

const say = (line: string) => process.stderr.write(`image: ${line}\n`);

const program = new Command('image').description("the services' container image, built with podman");

program
  .command('base')
  .description('assemble the base image (Debian bookworm minbase, Node, npm) unless podman has it')
  .option('--rebuild', 'assemble it again even if podman has it')
  .action(async (options: { rebuild?: boolean }) => {
    await ensureBaseImage({ say, rebuild: options.rebuild ?? false });
  });

program
  .command('build')
  .description('build the Dockerfile on the base image into localhost/deedstream:<version>')
  .option('--rebuild-base', 'assemble the base image again first')
  .action(async (options: { rebuildBase?: boolean }) => {
    const image = await buildServiceImage({ say, rebuildBase: options.rebuildBase ?? false });
    process.stdout.write(`${image}\n`);
  });

program.parseAsync().catch((error: unknown) => {
  say(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
