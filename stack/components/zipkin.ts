import path from 'node:path';
import { moduleOutputDir, resolveModule, type MavenModule } from '../artifacts';
import type { Component, Health } from '../component';
import { StackError } from '../errors';
import { stackPorts } from '../ports';
import { findProcessNaming, startDaemon } from '../process';
import { stackSetting } from '../stack-settings';
import { javaHomeAtLeast } from '../tools';
import { jvmEnv, jvmFlags } from '../jvm';
import { messageOf } from '../../services/shared/errors/message-of';

const name = 'zipkin';
const zipkinModule: MavenModule = { module: 'zipkin', outputSubdir: 'server' };
const serverJar = () => path.join(moduleOutputDir(zipkinModule), 'zipkin-server.jar');
export const zipkinUrl = `http://127.0.0.1:${stackPorts.zipkin}`;

/**
 * Zipkin's server: the trace backend and UI the services export their spans to (the
 * OpenTelemetry Zipkin exporter posts to /api/v2/spans). In-memory storage: traces are
 * for looking at what just happened and do not survive a restart; ZIPKIN_MAX_SPANS caps
 * how many spans it keeps, so the small heap holds.
 */
export const zipkin: Component = {
  name,
  title: 'Zipkin (trace backend and UI)',
  ports: [stackPorts.zipkin],
  endpoint: zipkinUrl,
  dependsOn: [],
  startTimeoutMs: 120_000,
  stopSignal: 'SIGTERM',

  async prepare() {
    await resolveModule(zipkinModule);
  },

  async start() {
    // Zipkin 3 is compiled for Java 17.
    const javaHome = javaHomeAtLeast(17);
    if (!javaHome) {
      throw new StackError(
        'zipkin: Zipkin 3 needs Java 17 or newer and none was found',
        'install one (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME to it',
      );
    }
    startDaemon({
      component: name,
      command: path.join(javaHome, 'bin', 'java'),
      args: [
        ...jvmFlags({ envPrefix: 'ZIPKIN', compiler: 'c1' }),
        '-jar',
        serverJar(),
        // Replacing Armeria's port list: the address, the port and the protocol all must be given.
        '--armeria.ports[0].ip=127.0.0.1',
        `--armeria.ports[0].port=${stackPorts.zipkin}`,
        '--armeria.ports[0].protocols[0]=http',
      ],
      // Zipkin reads its settings from these variables; set here so a developer's own
      // STORAGE_TYPE or KAFKA_BOOTSTRAP_SERVERS does not turn on another storage or collector.
      env: jvmEnv({
        ...process.env,
        STORAGE_TYPE: 'mem',
        MEM_MAX_SPANS: String(stackSetting('ZIPKIN_MAX_SPANS')),
        KAFKA_BOOTSTRAP_SERVERS: '',
        RABBIT_ADDRESSES: '',
        RABBIT_URI: '',
        ACTIVEMQ_URL: '',
        SELF_TRACING_ENABLED: 'false',
      }),
    });
  },

  async health(): Promise<Health> {
    try {
      const response = await fetch(`${zipkinUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      if (!response.ok) return { healthy: false, detail: `HTTP ${response.status}` };
      const body = (await response.json()) as { status?: string };
      if (body.status !== 'UP') return { healthy: false, detail: `status ${body.status ?? 'unknown'}` };
      const info = await fetch(`${zipkinUrl}/info`, { signal: AbortSignal.timeout(2_000) });
      const about = info.ok ? ((await info.json()) as { zipkin?: { version?: string } }) : {};
      const version = about.zipkin?.version ?? 'version unknown';
      return { healthy: true, detail: `Zipkin ${version} (in memory), UI ${zipkinUrl}/zipkin/` };
    } catch (error) {
      return { healthy: false, detail: messageOf(error) };
    }
  },

  findOwnProcess() {
    return findProcessNaming(['-jar', serverJar()]);
  },
};
