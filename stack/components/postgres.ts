import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { Component, Health } from '../component';
import { StackError } from '../errors';
import { repoRoot, stackPaths } from '../paths';
import { stackPorts, stackPostgres } from '../ports';
import { commandLineOf, isAlive, startDaemon, workingDirOf } from '../process';
import { postgresBinDir } from '../tools';
import { parsePostmasterPid } from './postmaster-pid';
import { messageOf } from '../../services/shared/errors/message-of';

const name = 'postgres';
/** The cluster's data directory (what `pg_ctl -D` takes). */
export const postgresDataDir = () => path.join(stackPaths.dataOf(name), 'pgdata');
const dataDir = postgresDataDir;

/**
 * A PostgreSQL cluster of the stack's own (initdb from Debian's binaries), on 5433,
 * independent of any server the machine already runs.
 */
export const postgres: Component = {
  name,
  title: 'PostgreSQL (logical WAL)',
  ports: [stackPorts.postgres],
  endpoint: `postgres://${stackPostgres.user}:${stackPostgres.password}@127.0.0.1:${stackPorts.postgres}/${stackPostgres.database}`,
  dependsOn: [],
  startTimeoutMs: 60_000,
  // SIGINT is Postgres' "fast" shutdown: clients are disconnected, data is checkpointed.
  stopSignal: 'SIGINT',

  async prepare() {
    const bin = postgresBinDir();
    const user = postgresUser();
    if (fs.existsSync(path.join(dataDir(), 'PG_VERSION'))) return;
    fs.mkdirSync(stackPaths.dataOf(name), { recursive: true, mode: 0o755 });
    if (user) {
      fs.chownSync(stackPaths.dataOf(name), user.uid, user.gid);
      assertReachable(stackPaths.dataOf(name), user);
    }
    const pwFile = path.join(stackPaths.dataOf(name), '.pwfile');
    fs.writeFileSync(pwFile, `${stackPostgres.password}\n`, { mode: 0o600 });
    if (user) fs.chownSync(pwFile, user.uid, user.gid);
    const init = spawnSync(
      path.join(bin, 'initdb'),
      [
        '-D',
        dataDir(),
        '-U',
        stackPostgres.user,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C.UTF-8',
      ],
      { encoding: 'utf8', ...(user ?? {}) },
    );
    fs.rmSync(pwFile, { force: true });
    if (init.status !== 0) {
      throw new StackError(
        `postgres: initdb failed (${(init.stderr || init.stdout).trim().split('\n').pop()})`,
        `remove ${stackPaths.dataOf(name)} and run \`npm run stack -- up\` again`,
      );
    }
    const extra = fs.readFileSync(path.join(repoRoot, 'stack', 'config', 'postgresql.conf'), 'utf8');
    fs.appendFileSync(path.join(dataDir(), 'postgresql.conf'), extra);
  },

  async start() {
    const user = postgresUser();
    startDaemon({
      component: name,
      command: path.join(postgresBinDir(), 'postgres'),
      args: ['-D', dataDir(), '-p', String(stackPorts.postgres)],
      ...(user ? { user } : {}),
    });
  },

  async health(): Promise<Health> {
    const client = adminClient('postgres');
    try {
      await client.connect();
      const result = await client.query<{ wal_level: string }>('SHOW wal_level');
      return { healthy: true, detail: `wal_level=${result.rows[0]?.wal_level}` };
    } catch (error) {
      return { healthy: false, detail: messageOf(error) };
    } finally {
      await client.end().catch(() => undefined);
    }
  },

  async afterHealthy() {
    const client = adminClient('postgres');
    await client.connect();
    try {
      for (const database of [
        stackPostgres.database,
        stackPostgres.registryDatabase,
        stackPostgres.keycloakDatabase,
      ]) {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        // CREATE DATABASE takes no parameters; the names are constants of this module.
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
      }
    } finally {
      await client.end();
    }
  },

  findOwnProcess() {
    let content: string;
    try {
      content = fs.readFileSync(path.join(dataDir(), 'postmaster.pid'), 'utf8');
    } catch {
      return undefined;
    }
    const postmaster = parsePostmasterPid(content);
    if (!postmaster || !isAlive(postmaster.pid)) return undefined;
    // A stale postmaster.pid (after a crash or reboot) may name a pid some other program now
    // has: the live process must be a postgres running in our data directory.
    const argv = commandLineOf(postmaster.pid);
    if (!argv || path.basename(argv[0] ?? '') !== 'postgres') return undefined;
    const ours = fs.realpathSync(dataDir());
    const cwd = workingDirOf(postmaster.pid);
    return cwd === ours || (cwd === undefined && argv.includes(dataDir())) ? postmaster.pid : undefined;
  },
};

function adminClient(database: string): Client {
  return new Client({
    host: '127.0.0.1',
    port: stackPorts.postgres,
    user: stackPostgres.user,
    password: stackPostgres.password,
    database,
    connectionTimeoutMillis: 2_000,
  });
}

/** Postgres refuses to run as root; as root we run it as the `postgres` OS user. */
export function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new StackError(
      'postgres: running as root but there is no `postgres` OS user to run the server as',
      'create one (useradd --system postgres) or run the stack as a normal user',
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function assertReachable(dir: string, user: { uid: number; gid: number }): void {
  const probe = spawnSync('test', ['-w', dir], user);
  if (probe.status !== 0) {
    throw new StackError(
      `postgres: the postgres OS user cannot write ${dir}`,
      'make its parent folders world-executable (chmod o+x) or set DEEDSTREAM_STACK_DIR to a folder it can reach',
    );
  }
}
