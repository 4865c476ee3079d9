import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { infrastructureConfig } from '../../services/shared/service/infrastructure';
import { postgres, postgresDataDir, postgresUser } from '../../stack/components/postgres';
import { parsePostmasterPid } from '../../stack/components/postmaster-pid';
import { stackPaths } from '../../stack/paths';
import { stackPorts } from '../../stack/ports';
import { forgetPid, runningPid } from '../../stack/process';
import { components, status, up } from '../../stack/stack';
import { postgresBinDir } from '../../stack/tools';

/** The pid the running postmaster wrote into our data directory. */
function postmasterPid(): number | undefined {
  return parsePostmasterPid(fs.readFileSync(path.join(postgresDataDir(), 'postmaster.pid'), 'utf8'))?.pid;
}

async function postgresStatus() {
  return (await status()).find((component) => component.name === 'postgres');
}

/**
 * An operator or a crash-recovery script restarts the stack's Postgres with pg_ctl, so
 * the pid `up` recorded is gone. The stack must recognise the new postmaster as its own
 * (same data directory), report it healthy and let `up` go on, not refuse its port.
 */
describe('the stack adopts its own components that it did not start', () => {
  it('follows Postgres restarted with pg_ctl: status is healthy with the new pid and up succeeds', async () => {
    const before = await postgresStatus();
    expect(before?.state).toBe('healthy');
    const oldPid = before?.pid;

    // As root the cluster belongs to the postgres OS user, as in postgres.ts; pg_ctl must run as it.
    const user = postgresUser();
    const restartBegan = Date.now();
    const restart = spawnSync(
      path.join(postgresBinDir(), 'pg_ctl'),
      [
        'restart',
        '-m',
        'fast',
        '-w',
        '-t',
        '60',
        '-D',
        postgresDataDir(),
        '-o',
        `-p ${stackPorts.postgres}`,
        '-l',
        stackPaths.logOf('postgres'),
      ],
      { encoding: 'utf8', timeout: 90_000, ...(user ?? {}) },
    );
    expect({ status: restart.status, stderr: restart.stderr }).toEqual({ status: 0, stderr: '' });

    const newPid = postmasterPid();
    expect(newPid).toBeDefined();
    expect(newPid).not.toBe(oldPid);
    // The recorded pid is stale now: only recognising the process by what it is finds it.
    expect(runningPid('postgres')).toBeUndefined();

    const after = await postgresStatus();
    expect(after).toMatchObject({ state: 'healthy', pid: newPid });
    // Adopted: the pid file now names the new postmaster, so `down` would stop it.
    expect(runningPid('postgres')).toBe(newPid);
    expect(postgres.findOwnProcess?.()).toBe(newPid);

    await expect(up({ quiet: true })).resolves.toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'postgres', state: 'healthy', pid: newPid })]),
    );

    // And clients reach the restarted server (started after the restart began).
    const client = new Client({ connectionString: infrastructureConfig().DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ started: Date }>('SELECT pg_postmaster_start_time() AS started');
      expect(rows[0]?.started.getTime()).toBeGreaterThanOrEqual(restartBegan - 1_000);
    } finally {
      await client.end();
    }
  }, 300_000);

  it('recognises every JVM component by its command line when its pid file is lost', async () => {
    const jvms = components().filter((component) => component.name !== 'postgres');
    const recorded = new Map(jvms.map((component) => [component.name, runningPid(component.name)]));
    for (const component of jvms) expect(recorded.get(component.name)).toEqual(expect.any(Number));

    for (const component of jvms) forgetPid(component.name);
    const after = await status();

    for (const component of jvms) {
      expect(after.find((s) => s.name === component.name)).toMatchObject({
        state: 'healthy',
        pid: recorded.get(component.name),
      });
      expect(runningPid(component.name)).toBe(recorded.get(component.name));
    }
  });
});
