import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { moduleOutputDir, resolveModule, type MavenModule } from '../artifacts';
import type { Component, Health } from '../component';
import { StackError } from '../errors';
import { stackPaths } from '../paths';
import { stackPorts } from '../ports';
import { renderConfig } from '../template';
import { javaBinary } from '../tools';
import { startJvm } from '../jvm';
import { findProcessNaming } from '../process';
import { messageOf } from '../../services/shared/errors/message-of';

const name = 'kafka';
export const kafkaModule: MavenModule = { module: 'kafka', outputSubdir: 'libs' };
const configFile = () => stackPaths.configOf('kafka-server.properties');
const logDir = () => stackPaths.dataOf(name);
const kafkaMainClass = 'kafka.Kafka';

/** Apache Kafka 4 in KRaft mode: one process that is both broker and controller. */
export const kafka: Component = {
  name,
  title: 'Apache Kafka (KRaft)',
  ports: [stackPorts.kafka, stackPorts.kafkaController],
  endpoint: `127.0.0.1:${stackPorts.kafka}`,
  dependsOn: [],
  startTimeoutMs: 180_000,
  stopSignal: 'SIGTERM',

  async prepare() {
    await resolveModule(kafkaModule);
    renderConfig(
      'kafka-server.properties',
      { port: stackPorts.kafka, controllerPort: stackPorts.kafkaController, dataDir: logDir() },
      configFile(),
    );
    if (fs.existsSync(path.join(logDir(), 'meta.properties'))) return;
    fs.mkdirSync(logDir(), { recursive: true });
    // KRaft storage must be formatted once with a cluster id before the first start.
    const clusterId = crypto.randomBytes(16).toString('base64url').slice(0, 22);
    const format = spawnSync(
      javaBinary(),
      [
        '-cp',
        path.join(moduleOutputDir(kafkaModule), '*'),
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        configFile(),
      ],
      { encoding: 'utf8' },
    );
    if (format.status !== 0) {
      throw new StackError(
        `kafka: formatting the KRaft log dir failed (${(format.stderr || format.stdout).trim().split('\n').pop()})`,
        `remove ${logDir()} and run \`npm run stack -- up\` again`,
      );
    }
  },

  async start() {
    startJvm({
      component: name,
      module: kafkaModule,
      mainClass: kafkaMainClass,
      sizing: { envPrefix: 'KAFKA', compiler: 'c1' },
      args: [configFile()],
    });
  },

  async health(): Promise<Health> {
    const admin = new Kafka({
      clientId: 'deedstream-stack',
      brokers: [`127.0.0.1:${stackPorts.kafka}`],
      connectionTimeout: 1_000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return { healthy: cluster.brokers.length > 0, detail: `cluster ${cluster.clusterId}` };
    } catch (error) {
      return { healthy: false, detail: messageOf(error) };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },

  findOwnProcess() {
    return findProcessNaming([kafkaMainClass, moduleOutputDir(kafkaModule), configFile()]);
  },
};

/** Heap size of a JVM component: <PREFIX>_HEAP (e.g. KAFKA_HEAP=1g) or the default. */
