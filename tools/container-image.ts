/**
 * The services' container image (the Dockerfile at the root), built with Debian's podman.
 *
 * No image registry is reachable from the project's machines, so the base the Dockerfile
 * starts FROM is assembled here from packages: a minimal Debian bookworm (debootstrap
 * --variant=minbase from Debian's mirror), the Node binary the `node` devDependency installed
 * and the npm that this Node release bundles (from the npm registry), imported into podman's
 * store as `localhost/deedstream-base:<node major>-bookworm`. Docker users build the same
 * Dockerfile on the public node image instead (docs/deploy.md#container-image).
 *
 * `npm run image` (tools/image.ts) is the command line; test/deploy/container-image.e2e.test.ts
 * builds through these functions and runs services from the image.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { version } from '../package.json';
import { stackPaths } from '../stack/paths';
import { findOnPath } from '../stack/tools';

const root = path.resolve(__dirname, '..');
const debianSuite = 'bookworm';
/** The mirror apt uses on the project's machines (plain HTTP: debootstrap checks the Release signature). */
const debianMirror = 'http://deb.debian.org/debian';
/** Downloaded once, kept across builds: debootstrap's .deb files and npm's tarball. */
const cacheDir = stackPaths.cacheOf('image');

/** Podman's configuration for this project (runtime, ulimits), in place of /etc/containers'. */
export const containersConf = path.join(root, 'stack', 'config', 'containers.conf');

/** The image of every service, tagged with the project's version. */
export const serviceImage = `localhost/deedstream:${version}`;

/**
 * What building needs on the machine: Debian package → the binary it brings. runc is named
 * because apt would otherwise choose crun for podman, which does not run here
 * (stack/config/containers.conf). Nothing rootless (uidmap, slirp4netns, fuse-overlayfs):
 * the build runs as root, and the containers on the host's network.
 */
export const imageToolPackages = { podman: 'podman', runc: 'runc', debootstrap: 'debootstrap' } as const;

/** A binary on PATH, or in the sbin folders a non-root PATH leaves out (debootstrap, runc). */
function findBinary(name: string): string | undefined {
  return (
    findOnPath(name) ??
    ['/usr/sbin', '/sbin'].map((dir) => path.join(dir, name)).find((file) => fs.existsSync(file))
  );
}

/** The Debian packages of imageToolPackages whose binary is missing here. */
export function missingImageTools(): string[] {
  return Object.entries(imageToolPackages)
    .filter(([, binary]) => findBinary(binary) === undefined)
    .map(([debianPackage]) => debianPackage);
}

/** The one-line install command for the image tools. */
export const imageToolsInstall = `apt-get install -y --no-install-recommends ${Object.keys(imageToolPackages).join(' ')}`;

/** Fails with one line unless the tools of `needed` are here, and this process is root. */
function requireImageTools(needed: ReadonlyArray<keyof typeof imageToolPackages>): void {
  const missing = missingImageTools().filter((name) => needed.some((tool) => tool === name));
  if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: ${imageToolsInstall}`);
  // debootstrap writes a root-owned tree; podman runs rootful (nothing rootless is installed).
  if (process.getuid?.() !== 0) throw new Error('building the image needs root (debootstrap, podman)');
}

export interface BuildOptions {
  /** One line of progress, for a person. */
  say: (line: string) => void;
  /** A file that takes the tools' output (debootstrap, podman build); without one, this process's stderr. */
  log?: string;
}

/** The Node release the `node` devDependency installed, and the npm it bundles. */
interface NodeRelease {
  binary: string;
  version: string;
  npmVersion: string;
}

function nodeRelease(): NodeRelease {
  // The `node` package installs the binary of this machine's platform as node-linux-<arch>.
  const dir = path.join(root, 'node_modules', 'node', 'node_modules', `node-linux-${process.arch}`);
  const manifest: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const nodeVersion =
    typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : undefined;
  if (typeof nodeVersion !== 'string') throw new Error(`no version in ${dir}/package.json: run npm ci`);
  // Node's changelog lists a release line newest first and each npm upgrade as "deps: upgrade
  // npm to X": the first is the npm this release bundles, as the official node image has it.
  const npm = /upgrade npm to (\d+\.\d+\.\d+)/.exec(fs.readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8'));
  if (!npm?.[1]) throw new Error(`${dir}/CHANGELOG.md names no npm upgrade`);
  return { binary: path.join(dir, 'bin', 'node'), version: nodeVersion, npmVersion: npm[1] };
}

/** The base image's name for a Node release: the tag of the official image it stands in for. */
export function baseImageOf(nodeVersion: string): string {
  return `localhost/deedstream-base:${nodeVersion.split('.')[0]}-${debianSuite}`;
}

const labels = { node: 'deedstream.node-version', npm: 'deedstream.npm-version' } as const;

/**
 * The base image for the Node release of the checkout: reused when podman has it with the
 * same Node and npm (`rebuild` forces a new one), else assembled (about a minute, most of it
 * debootstrap). Resolves with its name.
 */
export async function ensureBaseImage(options: BuildOptions & { rebuild?: boolean }): Promise<string> {
  const node = nodeRelease();
  const image = baseImageOf(node.version);
  if (!options.rebuild) {
    const present = await podman(['image', 'exists', image]).then(
      () => true,
      () => false,
    );
    const found: unknown = present
      ? JSON.parse(
          await podman(['image', 'inspect', '--format', '{{json .Labels}}', image], { capture: true }),
        )
      : undefined;
    if (
      typeof found === 'object' &&
      found !== null &&
      labels.node in found &&
      found[labels.node] === node.version &&
      labels.npm in found &&
      found[labels.npm] === node.npmVersion
    ) {
      options.say(`base image ${image} (Node ${node.version}, npm ${node.npmVersion}) reused`);
      return image;
    }
  }
  requireImageTools(['podman', 'runc', 'debootstrap']);
  const began = Date.now();
  const npmTarball = await npmPackage(node.npmVersion, options);
  const rootfs = fs.mkdtempSync(path.join(os.tmpdir(), 'deedstream-rootfs-'));
  try {
    options.say(`debootstrap --variant=minbase ${debianSuite} from ${debianMirror}…`);
    fs.mkdirSync(path.join(cacheDir, 'debootstrap'), { recursive: true });
    await run(
      [
        'debootstrap',
        '--variant=minbase',
        `--arch=${debianArch()}`,
        `--cache-dir=${path.join(cacheDir, 'debootstrap')}`,
        debianSuite,
        rootfs,
        debianMirror,
      ],
      { log: options.log, binary: findBinary('debootstrap') },
    );
    slim(rootfs);
    await addNode(rootfs, node, npmTarball);
    options.say(`importing ${image}…`);
    await importRootfs(
      rootfs,
      image,
      [
        'CMD ["node"]',
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        `LABEL ${labels.node}=${node.version}`,
        `LABEL ${labels.npm}=${node.npmVersion}`,
      ],
      options.log,
    );
  } finally {
    removeRootfs(rootfs);
  }
  options.say(
    `base image ${image} (Node ${node.version}, npm ${node.npmVersion}) built in ${seconds(began)} s`,
  );
  return image;
}

/**
 * The image of the services from the Dockerfile, on the base image (made first when podman
 * lacks it). Podman's layer cache keeps the dependency installs while package*.json stay the
 * same, so a rebuild after a source change only compiles again. Resolves with the image's name.
 */
export async function buildServiceImage(options: BuildOptions & { rebuildBase?: boolean }): Promise<string> {
  const base = await ensureBaseImage({ ...options, rebuild: options.rebuildBase ?? false });
  requireImageTools(['podman', 'runc']);
  const began = Date.now();
  options.say(`podman build ${serviceImage} FROM ${base}…`);
  const args = ['build', '--build-arg', `BASE_IMAGE=${base}`, '--tag', serviceImage];
  // The RUN steps reach the npm registry the way the host does: its network, DNS and hosts.
  args.push('--network', 'host');
  const ca = await npmCaBundle();
  if (ca) args.push('--secret', `id=npm-ca,src=${ca}`);
  await podman([...args, '--file', path.join(root, 'Dockerfile'), root], { log: options.log });
  options.say(`image ${serviceImage} built in ${seconds(began)} s`);
  return serviceImage;
}

/**
 * Runs podman with the project's containers.conf; resolves with its standard output when
 * `capture` is set. Rejects with the command and the end of its error output.
 */
export function podman(args: string[], options: RunOptions = {}): Promise<string> {
  return run(['podman', ...args], { ...options, env: podmanEnv() });
}

/** The environment for a podman command: this one, with the project's containers.conf. */
export function podmanEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CONTAINERS_CONF: containersConf };
}

/**
 * The CA bundle the host's npm trusts (its cafile, else NODE_EXTRA_CA_CERTS), if any: a
 * machine that reaches the registry through a TLS-intercepting proxy (the project's do) must
 * hand it to the build's npm. A secret, so it is never stored in a layer.
 */
async function npmCaBundle(): Promise<string | undefined> {
  const cafile = (await run(['npm', 'config', 'get', 'cafile'], { capture: true, cwd: os.tmpdir() })).trim();
  return [cafile, process.env.NODE_EXTRA_CA_CERTS].find(
    (file): file is string => !!file && file !== 'null' && file !== 'undefined' && fs.existsSync(file),
  );
}

/** npm's own package from the registry (the ordinary client's `npm pack`), downloaded once. */
async function npmPackage(npmVersion: string, options: BuildOptions): Promise<string> {
  const tarball = path.join(cacheDir, `npm-${npmVersion}.tgz`);
  if (fs.existsSync(tarball)) return tarball;
  options.say(`npm pack npm@${npmVersion}…`);
  fs.mkdirSync(cacheDir, { recursive: true });
  // Into a folder of its own first: a download cut short never looks like a cached tarball.
  const download = fs.mkdtempSync(path.join(cacheDir, 'download-'));
  try {
    await run(['npm', 'pack', `npm@${npmVersion}`, '--pack-destination', download, '--silent'], {
      log: options.log,
      cwd: download,
    });
    fs.renameSync(path.join(download, `npm-${npmVersion}.tgz`), tarball);
  } finally {
    fs.rmSync(download, { recursive: true, force: true });
  }
  return tarball;
}

function debianArch(): string {
  const arch = new Map([
    ['x64', 'amd64'],
    ['arm64', 'arm64'],
  ]).get(process.arch);
  if (!arch) throw new Error(`no Debian architecture for ${process.arch}`);
  return arch;
}

/**
 * What a service never reads, as Debian's slim images leave it out: apt's downloads and
 * package lists, manuals, info pages, translations, and the docs but their copyright files.
 */
function slim(rootfs: string): void {
  const emptied = ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/man', 'usr/share/info'];
  for (const folder of emptied) {
    for (const entry of fs.readdirSync(path.join(rootfs, folder), { withFileTypes: true })) {
      // apt's own lock file and partial/ folder stay: apt works in a derived image.
      if (entry.name === 'lock' || entry.name === 'partial') continue;
      fs.rmSync(path.join(rootfs, folder, entry.name), { recursive: true, force: true });
    }
  }
  for (const entry of fs.readdirSync(path.join(rootfs, 'usr/share/locale'))) {
    if (entry !== 'locale.alias')
      fs.rmSync(path.join(rootfs, 'usr/share/locale', entry), { recursive: true });
  }
  const docs = path.join(rootfs, 'usr/share/doc');
  for (const pkg of fs.readdirSync(docs)) {
    const dir = path.join(docs, pkg);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const file of fs.readdirSync(dir)) {
      if (file !== 'copyright') fs.rmSync(path.join(dir, file), { recursive: true, force: true });
    }
  }
}

/** Node and npm where the official node image has them: /usr/local/bin, /usr/local/lib/node_modules. */
async function addNode(rootfs: string, node: NodeRelease, npmTarball: string): Promise<void> {
  const bin = path.join(rootfs, 'usr/local/bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.copyFileSync(node.binary, path.join(bin, 'node'));
  fs.chmodSync(path.join(bin, 'node'), 0o755);
  const npm = path.join(rootfs, 'usr/local/lib/node_modules/npm');
  fs.mkdirSync(npm, { recursive: true });
  await run(['tar', '-xzf', npmTarball, '-C', npm, '--strip-components=1', '--no-same-owner'], {});
  fs.symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(bin, 'npm'));
  fs.symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', path.join(bin, 'npx'));
}

/** `tar -c rootfs | podman import`: the folder as a one-layer image, with `changes` to its config. */
async function importRootfs(rootfs: string, image: string, changes: string[], log?: string): Promise<void> {
  const tar = spawn('tar', ['--numeric-owner', '-C', rootfs, '-c', '.'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Both awaited together: whichever fails first is the error, and the other's is handled.
  await Promise.all([
    exitOf(tar, 'tar'),
    podman(['import', ...changes.flatMap((change) => ['--change', change]), '-', image], {
      input: tar.stdout,
      capture: true,
      log,
    }),
  ]);
}

/**
 * Removes the assembled rootfs. A debootstrap that failed half-way can leave /proc and /sys
 * mounted inside it: those are unmounted first, so the removal never reaches the host's.
 */
function removeRootfs(rootfs: string): void {
  const mounts = fs
    .readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((mount) => mount.startsWith(`${rootfs}/`))
    .reverse();
  // A failure to unmount shows in the check that follows.
  for (const mount of mounts) spawnSync('umount', ['--lazy', mount], { stdio: 'ignore' });
  if (mounts.length > 0 && fs.readFileSync('/proc/self/mounts', 'utf8').includes(`${rootfs}/`)) {
    throw new Error(`${rootfs} still has mounts inside; remove it by hand after unmounting them`);
  }
  fs.rmSync(rootfs, { recursive: true, force: true });
}

export interface RunOptions {
  /** A file that takes the command's output; without one it goes to this process's stderr. */
  log?: string | undefined;
  /** Resolve with the standard output (not sent to the log). */
  capture?: boolean;
  input?: NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** The command's path, when it is not on PATH. */
  binary?: string | undefined;
}

/** Runs `argv` to its end; rejects naming it, with the last lines it wrote to stderr. */
function run(argv: [string, ...string[]], options: RunOptions): Promise<string> {
  const [command, ...args] = argv;
  const log = options.log ? fs.createWriteStream(options.log, { flags: 'a' }) : undefined;
  log?.write(`\n$ ${argv.join(' ')}\n`);
  const child = spawn(options.binary ?? command, args, {
    cwd: options.cwd ?? root,
    env: options.env ?? process.env,
    stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  if (options.input && child.stdin) {
    // A child that exits before reading all its input closes the pipe (EPIPE): its exit code says why.
    child.stdin.on('error', () => undefined);
    options.input.pipe(child.stdin);
  }
  let stdout = '';
  let stderrTail = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    if (options.capture) stdout += chunk.toString();
    else (log ?? process.stderr).write(chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
    (log ?? process.stderr).write(chunk);
  });
  const label = args[0] && !args[0].startsWith('-') ? `${command} ${args[0]}` : command;
  return exitOf(child, label, () => stderrTail, options.log)
    .then(() => stdout)
    .finally(() => log?.end());
}

/** Resolves when `child` exits with 0; rejects naming it, with the end of its error output. */
function exitOf(
  child: ReturnType<typeof spawn>,
  label: string,
  stderr: () => string = () => '',
  log?: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`${label}: ${error.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      const lines = stderr().trim().split('\n').slice(-5).join('\n');
      const where = log ? ` (log: ${log})` : '';
      reject(new Error(`${label} exited with ${code ?? signal}${where}${lines ? `:\n${lines}` : ''}`));
    });
  });
}

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(0);
