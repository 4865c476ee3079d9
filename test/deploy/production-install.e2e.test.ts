import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { serviceNames } from '../../services/catalog';
import { awaitReady } from '../support/await-ready';
import { testPorts, urlOf } from '../support/service-processes';
import { stopEveryChild, TrackedChild } from '../support/tracked-child';

/**
 * What a deployment does: `npm run build`, then an install without dev dependencies (no
 * tsx, no TypeScript, no esbuild), then the compiled main job, which must start every
 * service and serve the console's prebuilt front end. Built and installed in a folder of
 * its own, so the checkout's dist/ and node_modules/ are left alone.
 */
const run = promisify(execFile);
const repo = path.resolve(__dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let home: string;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'deedstream-production-'));
  await run(process.execPath, ['--import', 'tsx', 'tools/build.ts', '--out', path.join(home, 'dist')], {
    cwd: repo,
  });
  for (const file of ['package.json', 'package-lock.json'])
    fs.copyFileSync(path.join(repo, file), path.join(home, file));
  // What a deployment ships beside the build: the Kafka client's patch, and the topic and
  // connector declarations the main job provisions from.
  for (const folder of ['patches', 'connectors'])
    fs.cpSync(path.join(repo, folder), path.join(home, folder), { recursive: true });
  await run(npm, ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: home, timeout: 300_000 });
}, 420_000);

afterAll(async () => {
  await stopEveryChild();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('an install without dev dependencies', () => {
  it('has none of the tools that only build and test', () => {
    const tools = ['tsx', 'typescript', 'esbuild', 'jest', '@swc/core', 'node'];
    expect(tools.filter((name) => fs.existsSync(path.join(home, 'node_modules', name)))).toEqual([]);
    // patch-package ran (a dependency now): the Kafka client the services load is the patched one.
    const patch = fs.readFileSync(path.join(repo, 'patches', 'kafkajs+2.2.4.patch'), 'utf8');
    const patchedFile = /^\+\+\+ b\/node_modules\/kafkajs\/(\S+)/m.exec(patch)?.[1];
    expect(patchedFile).toBeDefined();
    const installed = fs.readFileSync(path.join(home, 'node_modules', 'kafkajs', patchedFile ?? ''), 'utf8');
    const checkout = fs.readFileSync(path.join(repo, 'node_modules', 'kafkajs', patchedFile ?? ''), 'utf8');
    expect(installed).toBe(checkout);
  });

  it('starts every service from the compiled main job, the console with its prebuilt front end', async () => {
    const main = new TrackedChild('production main job', process.execPath, ['dist/services/main.js'], {
      cwd: home,
      env: {
        ...process.env,
        ...Object.fromEntries(
          Object.entries(testPorts).map(([service, port]) => [`${service.toUpperCase()}_PORT`, String(port)]),
        ),
        // The jest global setup has brought the stack up.
        DEEDSTREAM_EXTERNAL_STACK: 'true',
        TRACING_ENABLED: 'false',
        LOG_LEVEL: 'warn',
        // Nothing of the checkout: no TypeScript loader, no dev dependency on the path.
        PATH: path.dirname(process.execPath) + path.delimiter + '/usr/bin:/bin',
        NODE_OPTIONS: '',
      },
    });
    await main.during('starting the compiled main job', async (signal) => {
      await main.output.waitFor(/Ctrl-C stops the services/, 180_000, true);
      await awaitReady(serviceNames.map(urlOf), 120_000, signal);
    });

    const page = await fetch(`${urlOf('console')}/`);
    expect(page.status).toBe(200);
    const script = await fetch(`${urlOf('console')}/assets/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(10_000);

    await main.stop('SIGTERM', 60_000);
  }, 360_000);
});
