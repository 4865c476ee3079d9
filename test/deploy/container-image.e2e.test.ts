import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  buildServiceImage,
  imageToolPackages,
  missingImageTools,
  podman,
  podmanEnv,
} from '../../tools/container-image';
import { awaitReady } from '../support/await-ready';
import { localUser } from '../support/identities';
import { jsonClient, listing } from '../support/property-harness';
import { ensureSystemPackage, missingPackageLine, type SystemPackage } from '../support/system-package';
import { stopEveryChild, TrackedChild } from '../support/tracked-child';
import { waitForValue } from '../support/wait-for';

/**
 * The services' container image (Dockerfile, tools/container-image.ts) as this machine's
 * podman builds and runs it: built once through the tool (the base image from Debian packages
 * first, on a fresh machine), then the property and search services run from it as
 * containers on the host's network against the native stack, and a listing written through
 * the property container is found through the search container's API.
 */
const say = (line: string) => process.stderr.write(`[container-image] ${line}\n`);
const output = path.resolve(__dirname, '../../test-output');
const buildLog = path.join(output, 'container-image-build.log');

/** podman, runc and debootstrap: installed by this file when missing, as the global setup installs Chromium. */
const podmanPackage: SystemPackage = {
  debianPackage: 'podman',
  alsoInstall: Object.keys(imageToolPackages).filter((name) => name !== 'podman'),
  recommends: false,
  neededBy: 'test/deploy/container-image.e2e.test.ts',
  find: () => (missingImageTools().length === 0 ? 'podman' : undefined),
};

type ContainerService = 'property' | 'search';
const containerNames: string[] = [];
const containers = new Map<ContainerService, { name: string; url: string }>();
let image: string;

/**
 * `podman run` in the foreground as a tracked child: the service's log is the child's output,
 * a container that dies fails the start at once with its last lines, and SIGTERM to the
 * client reaches the service (podman proxies signals), which stops and whose container goes (--rm).
 * Port 0: the kernel picks a free port on the host's network, read from the service's log.
 */
async function startContainer(service: ContainerService): Promise<void> {
  const name = `deedstream-e2e-${service}-${randomUUID().slice(0, 8)}`;
  containerNames.push(name);
  const env = { [`${service.toUpperCase()}_PORT`]: '0', LOG_LEVEL: 'info', TRACING_ENABLED: 'false' };
  const child = new TrackedChild(
    `${service} container`,
    'podman',
    [
      'run',
      '--rm',
      '--name',
      name,
      '--network',
      'host',
      // As Kubernetes runs it (deploy/kubernetes): nothing writable but /tmp.
      '--read-only',
      '--tmpfs',
      '/tmp',
      ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
      image,
      service,
    ],
    { env: podmanEnv() },
  );
  const url = await child.during(`starting ${service} from ${image}`, async (signal) => {
    const serving = await child.output.waitFor(/serving on (http:\/\/127\.0\.0\.1:\d+)/, 120_000, true);
    const url = serving[1] as string;
    await awaitReady([url], 90_000, signal);
    return url;
  });
  containers.set(service, { name, url });
}

function container(service: ContainerService): { name: string; url: string } {
  const found = containers.get(service);
  if (!found) throw new Error(`the ${service} container did not start`);
  return found;
}

beforeAll(async () => {
  const problem = await ensureSystemPackage(podmanPackage, path.join(output, 'apt-podman.log'), say);
  if (problem) throw new Error(missingPackageLine(podmanPackage, problem));
  fs.mkdirSync(output, { recursive: true });
  fs.rmSync(buildLog, { force: true });
  say(`building the image (log: ${buildLog})…`);
  image = await buildServiceImage({ say, log: buildLog });
  await Promise.all([startContainer('property'), startContainer('search')]);
}, 450_000);

afterAll(async () => {
  try {
    await stopEveryChild();
  } finally {
    // A container whose podman client was killed would keep running: removed by name.
    if (containerNames.length > 0) {
      await podman(['rm', '--force', '--ignore', '--time', '5', ...containerNames], { capture: true });
    }
  }
}, 60_000);

describe('the container image', () => {
  it('runs property and search, ready, as a user other than root, on a read-only root', async () => {
    for (const service of ['property', 'search'] as const) {
      const { name, url } = container(service);
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      // A shell in the container, and the service itself (PID 1: node, no init).
      expect((await podman(['exec', name, 'id', '-u'], { capture: true })).trim()).not.toBe('0');
      // Nothing but /tmp can be written (a service that needed to would fail here first).
      await expect(podman(['exec', name, 'touch', '/app/probe'], { capture: true })).rejects.toThrow();
      await podman(['exec', name, 'touch', '/tmp/probe'], { capture: true });
      const status = await podman(['exec', name, 'cat', '/proc/1/status', '/proc/1/cmdline'], {
        capture: true,
      });
      expect(status).toContain('dist/services/serve.js');
      const uids = /^Uid:\s+(.*)$/m.exec(status)?.[1]?.split(/\s+/);
      expect(uids).toHaveLength(4);
      expect(uids?.filter((uid) => uid === '0')).toEqual([]);
    }
  });

  it('finds a listing written through the property container with the search container', async () => {
    const seller = await localUser('seller1');
    const street = `Containerkade ${randomUUID().slice(0, 8)}`;
    const created = await jsonClient(container('property').url, seller)(
      'POST',
      '/properties',
      listing({ address: { ...listing().address, street } }),
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    // The consistency token makes each search wait (a few seconds, server-side) for the
    // projection to reach the listing; a 503 (not yet) is asked again, within the bound.
    const search = jsonClient(container('search').url);
    const found = await waitForValue(
      `listing ${id} in the search container's results`,
      async () => {
        const result = await search('GET', `/search/properties?q=${encodeURIComponent(street)}`, undefined, {
          'X-Consistency-Token': created.body.consistencyToken as string,
        });
        const items = result.status === 200 ? (result.body.items as Array<{ id: string }>) : [];
        return items.find((item) => item.id === id);
      },
      120_000,
    );
    expect(found).toMatchObject({ id, street, version: 1 });
  });
});
