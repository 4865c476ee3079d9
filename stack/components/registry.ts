import path from 'node:path';
import { moduleOutputDir, resolveModule, type MavenModule } from '../artifacts';
import type { Component, Health } from '../component';
import { StackError } from '../errors';
import { stackPorts, stackPostgres } from '../ports';
import { findProcessNaming, startDaemon } from '../process';
import { javaHomeAtLeast } from '../tools';
import { jvmEnv, jvmFlags } from '../jvm';
import { messageOf } from '../../services/shared/errors/message-of';

const name = 'registry';
const apicurioModule: MavenModule = { module: 'apicurio', outputSubdir: 'app' };
const managementPort = stackPorts.registryManagement;
const runJar = () => path.join(moduleOutputDir(apicurioModule), 'quarkus-run.jar');
export const registryUrl = `http://127.0.0.1:${stackPorts.registry}/apis/ccompat/v7`;

/**
 * Apicurio Registry 3, whose Confluent-compatible API (/apis/ccompat/v7) is what
 * @kafkajs/confluent-schema-registry speaks. Schemas live in Postgres, so a schema id
 * carried by a message on Kafka still resolves after a restart.
 */
export const registry: Component = {
  name,
  title: 'Apicurio Registry (Confluent API)',
  ports: [stackPorts.registry, managementPort],
  endpoint: registryUrl,
  dependsOn: ['postgres'],
  startTimeoutMs: 180_000,
  stopSignal: 'SIGTERM',

  async prepare() {
    await resolveModule(apicurioModule);
  },

  async start() {
    // Apicurio 3 is compiled for Java 21.
    const javaHome = javaHomeAtLeast(21);
    if (!javaHome) {
      throw new StackError(
        'registry: Apicurio Registry 3 needs Java 21 or newer and none was found',
        'install one (e.g. a Temurin 21+ JDK under /usr/lib/jvm) or set JAVA_HOME to it',
      );
    }
    const props: Record<string, string | number> = {
      'quarkus.http.host': '127.0.0.1',
      'quarkus.http.port': stackPorts.registry,
      'quarkus.management.host': '127.0.0.1',
      'quarkus.management.port': managementPort,
      'apicurio.storage.kind': 'sql',
      'apicurio.storage.sql.kind': 'postgresql',
      'apicurio.datasource.url': `jdbc:postgresql://127.0.0.1:${stackPorts.postgres}/${stackPostgres.registryDatabase}`,
      'apicurio.datasource.username': stackPostgres.user,
      // Its default pool of 20 connections is sized for a dedicated database server.
      'apicurio.datasource.jdbc.initial-size': 2,
      'apicurio.datasource.jdbc.min-size': 2,
      'apicurio.datasource.jdbc.max-size': 10,
    };
    startDaemon({
      component: name,
      command: path.join(javaHome, 'bin', 'java'),
      args: [
        ...jvmFlags({ envPrefix: 'REGISTRY', compiler: 'c1' }),
        ...Object.entries(props).map(([key, value]) => `-D${key}=${value}`),
        '-jar',
        runJar(),
      ],
      // The password goes through the environment, not the visible command line.
      env: jvmEnv({ ...process.env, APICURIO_DATASOURCE_PASSWORD: stackPostgres.password }),
    });
  },

  async health(): Promise<Health> {
    try {
      const ready = await fetch(`http://127.0.0.1:${managementPort}/health/ready`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (!ready.ok) return { healthy: false, detail: `readiness HTTP ${ready.status}` };
      const info = await fetch(`http://127.0.0.1:${stackPorts.registry}/apis/registry/v3/system/info`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (!info.ok) return { healthy: false, detail: `system/info HTTP ${info.status}` };
      const body = (await info.json()) as { name?: string; version?: string };
      return { healthy: true, detail: `${body.name ?? 'Apicurio Registry'} ${body.version ?? ''}`.trim() };
    } catch (error) {
      return { healthy: false, detail: messageOf(error) };
    }
  },

  findOwnProcess() {
    return findProcessNaming(['-jar', runJar()]);
  },
};
