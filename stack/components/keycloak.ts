import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { moduleOutputDir, resolveModule, type MavenModule } from '../artifacts';
import type { Component, Health } from '../component';
import { StackError } from '../errors';
import { repoRoot, stackPaths } from '../paths';
import { keycloakAdmin, stackPorts, stackPostgres } from '../ports';
import { applyRealmPolicy } from './keycloak-realm-policy';
import { findProcessNaming, startDaemon } from '../process';
import { javaHomeAtLeast } from '../tools';
import { jvmEnv, jvmFlags, type JvmSizing } from '../jvm';
import { messageOf } from '../../services/shared/errors/message-of';

const name = 'keycloak';
const keycloakModule: MavenModule = { module: 'keycloak', outputSubdir: 'dist' };
const managementPort = stackPorts.keycloakManagement;
const mainClass = 'io.quarkus.bootstrap.runner.QuarkusEntryPoint';
const realmFile = path.join(repoRoot, 'stack', 'keycloak', 'deedstream-realm.json');
const home = () => moduleOutputDir(keycloakModule);
const runJar = () => path.join(home(), 'lib', 'quarkus-run.jar');
const dataDir = () => stackPaths.dataOf(name);
const builtMarker = () => path.join(stackPaths.cacheOf(keycloakModule.module), '.built');

export const keycloakUrl = `http://127.0.0.1:${stackPorts.keycloak}`;
/** The deedstream realm's issuer: fixed by --hostname, whatever host name a client used. */
export const keycloakIssuer = `${keycloakUrl}/realms/deedstream`;

/**
 * Build-time options, baked into the server by `kc.sh build` (Quarkus augmentation). `start
 * --optimized` then skips that work at every start; changing these re-runs the build once.
 */
const buildOptions = ['--db=postgres', '--health-enabled=true'];
/** Quarkus keeps its metadata outside the heap; 256 MB of heap holds the realm's caches. */
const keycloakSizing: JvmSizing = { envPrefix: 'KEYCLOAK', compiler: 'c1' };

/**
 * Keycloak, the stack's OIDC identity provider. Realms, users and signing keys live in the
 * stack's Postgres (database `keycloak`), so they survive `down` + `up`; the deedstream realm is
 * imported from stack/keycloak/deedstream-realm.json on start unless it already exists.
 */
export const keycloak: Component = {
  name,
  title: 'Keycloak (OIDC, realm deedstream)',
  ports: [stackPorts.keycloak, managementPort],
  endpoint: keycloakIssuer,
  dependsOn: ['postgres'],
  // A cold first start on two shared cores (schema creation, realm import) takes about a minute.
  startTimeoutMs: 240_000,
  stopSignal: 'SIGTERM',

  async prepare() {
    await resolveModule(keycloakModule);
    // Keycloak writes its runtime files (and reads imports) under <home>/data: point that at
    // the stack's data folder, so `reset` clears it and the artifact cache stays read-only.
    fs.mkdirSync(path.join(dataDir(), 'import'), { recursive: true });
    const dataLink = path.join(home(), 'data');
    if (!isLinkTo(dataLink, dataDir())) {
      fs.rmSync(dataLink, { recursive: true, force: true });
      fs.symlinkSync(dataDir(), dataLink);
    }
    fs.copyFileSync(realmFile, path.join(dataDir(), 'import', path.basename(realmFile)));
    await buildOnce();
  },

  async start() {
    const options: Record<string, string | number> = {
      'http-enabled': 'true',
      'http-host': '127.0.0.1',
      'http-port': stackPorts.keycloak,
      'http-management-port': managementPort,
      // Tokens always say iss=http://127.0.0.1:8180/realms/deedstream, however the client got here.
      hostname: keycloakUrl,
      // One node: no cluster discovery (the default, jdbc-ping, would wait for peers).
      cache: 'local',
      'db-url': `jdbc:postgresql://127.0.0.1:${stackPorts.postgres}/${stackPostgres.keycloakDatabase}`,
      'db-username': stackPostgres.user,
      // Its default pool of 100 connections is sized for a dedicated database server.
      'db-pool-initial-size': 2,
      'db-pool-min-size': 2,
      'db-pool-max-size': 10,
    };
    startDaemon({
      component: name,
      command: javaFor(),
      args: [
        ...jvmArgs(keycloakSizing, [
          // Class data sharing: the JVM archives the classes it loaded when Keycloak stops and
          // maps them at the next start, which cuts the warm start (the archive lives with the
          // artifacts, so a version bump drops it).
          '-XX:+AutoCreateSharedArchive',
          // It reports, as errors, that kc.sh's --add-opens differ from the JDK's base archive: harmless.
          '-Xlog:cds=off',
          `-XX:SharedArchiveFile=${path.join(stackPaths.cacheOf(keycloakModule.module), 'keycloak.jsa')}`,
        ]),
        'start',
        '--optimized',
        // Imports each realm file in <home>/data/import; a realm that exists is left untouched.
        '--import-realm',
        ...Object.entries(options).map(([key, value]) => `--${key}=${value}`),
      ],
      env: jvmEnv({
        ...process.env,
        // Secrets go through the environment, not the visible command line.
        KC_DB_PASSWORD: stackPostgres.password,
        // Agroal hands out pooled connections unchecked, so after a Postgres restart every request
        // that drew a dead one failed with HTTP 500 until the pool turned over. Check each
        // connection as it is borrowed (one `SELECT 1` round trip on the same host) and sweep idle ones.
        QUARKUS_DATASOURCE_JDBC_VALIDATION_QUERY_SQL: 'SELECT 1',
        QUARKUS_DATASOURCE_JDBC_VALIDATE_ON_BORROW: 'true',
        QUARKUS_DATASOURCE_JDBC_BACKGROUND_VALIDATION_INTERVAL: '10S',
        // Creates the master realm's admin on the very first start only (local development only).
        KC_BOOTSTRAP_ADMIN_USERNAME: keycloakAdmin.username,
        KC_BOOTSTRAP_ADMIN_PASSWORD: keycloakAdmin.password,
      }),
    });
  },

  async health(): Promise<Health> {
    try {
      const ready = await fetch(`http://127.0.0.1:${managementPort}/health/ready`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (!ready.ok) return { healthy: false, detail: `readiness HTTP ${ready.status}` };
      const discovery = await fetch(`${keycloakIssuer}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (!discovery.ok) return { healthy: false, detail: `realm discovery HTTP ${discovery.status}` };
      const body = (await discovery.json()) as { issuer?: string };
      return body.issuer === keycloakIssuer
        ? { healthy: true, detail: `realm deedstream, issuer ${body.issuer}` }
        : { healthy: false, detail: `realm discovery names issuer ${body.issuer ?? '(none)'}` };
    } catch (error) {
      return { healthy: false, detail: messageOf(error) };
    }
  },

  async afterHealthy() {
    await applyRealmPolicy(keycloakUrl, realmFile);
  },

  findOwnProcess() {
    return findProcessNaming([mainClass, runJar(), home(), 'start']);
  },
};

function javaFor(): string {
  // Keycloak 26 is compiled for Java 21.
  const javaHome = javaHomeAtLeast(21);
  if (!javaHome) {
    throw new StackError(
      'keycloak: Keycloak 26 needs Java 21 or newer and none was found',
      'install one (e.g. a Temurin 21+ JDK under /usr/lib/jvm) or set JAVA_HOME to it',
    );
  }
  return path.join(javaHome, 'bin', 'java');
}

/** What bin/kc.sh would pass to the JVM, with the stack's heap and a small-footprint collector. */
function jvmArgs(sizing: JvmSizing, extra: string[] = []): string[] {
  return [
    ...extra,
    ...jvmFlags(sizing),
    '-XX:MetaspaceSize=96M',
    '-XX:MaxMetaspaceSize=256m',
    '-Dfile.encoding=UTF-8',
    '-Duser.language=en',
    '-Duser.country=US',
    '--add-opens=java.base/java.util=ALL-UNNAMED',
    '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
    '--add-opens=java.base/java.security=ALL-UNNAMED',
    '--add-opens=java.base/java.lang=ALL-UNNAMED',
    '--enable-native-access=ALL-UNNAMED',
    '-Djava.util.concurrent.ForkJoinPool.common.threadFactory=io.quarkus.bootstrap.forkjoin.QuarkusForkJoinWorkerThreadFactory',
    `-Dkc.home.dir=${home()}`,
    `-Djboss.server.config.dir=${path.join(home(), 'conf')}`,
    '-Djava.util.logging.manager=org.jboss.logmanager.LogManager',
    '-Dpicocli.disable.closures=true',
    '-Dquarkus-log-max-startup-records=10000',
    '-cp',
    runJar(),
    mainClass,
  ];
}

/** Runs `kc.sh build` with buildOptions unless the cached server was built with exactly them. */
async function buildOnce(): Promise<void> {
  const fingerprint = crypto.createHash('sha256').update(JSON.stringify(buildOptions)).digest('hex');
  if (readOr(builtMarker(), '').trim() === fingerprint) return;
  fs.mkdirSync(stackPaths.logs, { recursive: true });
  const logFile = path.join(stackPaths.logs, 'keycloak-build.log');
  const log = fs.openSync(logFile, 'w');
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      javaFor(),
      [...jvmArgs({ ...keycloakSizing, heap: '512m' }), 'build', ...buildOptions],
      {
        stdio: ['ignore', log, log],
      },
    );
    child.on('error', () => resolve(-1));
    child.on('exit', (status) => resolve(status ?? -1));
  });
  fs.closeSync(log);
  if (code !== 0) {
    const lastLine = readOr(logFile, '').trimEnd().split('\n').pop() ?? '';
    throw new StackError(
      `keycloak: the server build step failed (${lastLine.slice(0, 200)})`,
      `see ${path.relative(process.cwd(), logFile)}`,
    );
  }
  fs.writeFileSync(builtMarker(), `${fingerprint}\n`);
}

function isLinkTo(link: string, target: string): boolean {
  try {
    return fs.readlinkSync(link) === target;
  } catch {
    return false;
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}
