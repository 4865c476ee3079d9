import fs from 'node:fs';
import path from 'node:path';
import { moduleOutputDir, resolveModule, type MavenModule } from '../artifacts';
import type { Component, ComponentName, Health } from '../component';
import { stackPaths } from '../paths';
import { stackConnect, stackPorts, stackPostgres } from '../ports';
import { renderConfig } from '../template';
import { startJvm } from '../jvm';
import { findProcessNaming } from '../process';
import { bootstrapServers, kafkaModule, singleKafka, type KafkaCluster } from './kafka';
import { messageOf } from '../../services/shared/errors/message-of';

/** The Debezium connector lives in its own plugin folder, isolated by Connect's class loader. */
const debeziumModule: MavenModule = {
  module: 'debezium',
  outputSubdir: 'plugins/debezium-connector-postgres',
};
/** Kafka's own file source (the listing feeds), a plugin of its own since Kafka 3.2. */
const fileConnectorModule: MavenModule = {
  module: 'connect-file',
  outputSubdir: 'plugins/kafka-connect-file',
};
/** Where feed files are dropped for the file source connectors (npm run feeds -- drop). */
export const feedsDir = () => stackPaths.dataOf('feeds');
/** What the stack sends to its own Connect (health checks). */
const authorization = `Basic ${Buffer.from(`${stackConnect.username}:${stackConnect.password}`).toString('base64')}`;
export const connectUrl = `http://127.0.0.1:${stackPorts.connect}`;
const connectMainClass = 'org.apache.kafka.connect.cli.ConnectDistributed';

/**
 * What the connector configs reach only through ${env:…} placeholders (secrets never sit in
 * the JSON). The worker's env provider resolves these names and no others.
 */
const connectorEnv = () => ({
  DEEDSTREAM_FEEDS_DIR: feedsDir(),
  DEEDSTREAM_PG_HOST: '127.0.0.1',
  DEEDSTREAM_PG_PORT: String(stackPorts.postgres),
  DEEDSTREAM_PG_DATABASE: stackPostgres.database,
  DEEDSTREAM_PG_USER: stackPostgres.relayUser,
  DEEDSTREAM_PG_PASSWORD: stackPostgres.relayPassword,
});
/** A Java regex the whole variable name must match (EnvVarConfigProvider's allowlist.pattern). */
export const connectorEnvAllowlist = Object.keys(connectorEnv()).join('|');

/** One worker of the Connect cluster; the workers of a profile share one group and its topics. */
export interface ConnectWorker {
  /** `connect` alone, `connect-<n>` in a cluster. */
  name: ComponentName;
  /** Where clients and the other workers reach its REST API (advertised). */
  port: number;
  /**
   * When a proxy owns `port` (the cluster profile's partition proxy): where the worker really
   * listens, and the proxy's port in front of Postgres that its Debezium tasks use.
   */
  behindProxy?: { port: number; postgresPort: number };
}

/** Kafka Connect in distributed mode with the Debezium PostgreSQL connector on its plugin path. */
export function connectWorker(worker: ConnectWorker, kafkaCluster: KafkaCluster, workers: number): Component {
  const { name, port } = worker;
  const listenPort = worker.behindProxy?.port ?? port;
  const configFile = () => stackPaths.configOf(`${name}-distributed.properties`);
  const jaasFile = () => stackPaths.configOf(`${name}-jaas.conf`);
  const credentialsFile = () => stackPaths.configOf(`${name}-credentials.properties`);
  const url = `http://127.0.0.1:${port}`;
  return {
    name,
    title:
      workers === 1
        ? 'Kafka Connect + Debezium Postgres connector'
        : `Kafka Connect + Debezium Postgres connector, worker ${name.split('-')[1]} of ${workers}`,
    ports: [listenPort],
    endpoint: url,
    dependsOn: [
      ...kafkaCluster.nodes.map((node) => node.name),
      'postgres',
      ...(worker.behindProxy ? (['partition-proxy'] as const) : []),
    ],
    startTimeoutMs: 120_000,
    stopSignal: 'SIGTERM',

    async prepare() {
      await resolveModule(kafkaModule);
      await resolveModule(debeziumModule);
      await resolveModule(fileConnectorModule);
      renderConfig(
        'connect-distributed.properties',
        {
          bootstrapServers: bootstrapServers(kafkaCluster),
          replicationFactor: kafkaCluster.replicationFactor,
          port,
          listenPort,
          pluginPath: [debeziumModule, fileConnectorModule]
            .map((plugin) => path.dirname(moduleOutputDir(plugin)))
            .join(','),
          envAllowlist: connectorEnvAllowlist,
        },
        configFile(),
      );
      renderConfig('connect-jaas.conf', { credentialsFile: credentialsFile() }, jaasFile());
      fs.writeFileSync(credentialsFile(), `${stackConnect.username}: ${stackConnect.password}\n`, {
        mode: 0o600,
      });
      fs.mkdirSync(stackPaths.dataOf(name), { recursive: true });
      fs.mkdirSync(feedsDir(), { recursive: true });
    },

    async start() {
      startJvm({
        component: name,
        module: kafkaModule,
        mainClass: connectMainClass,
        sizing: { envPrefix: 'CONNECT', compiler: 'c1' },
        args: [configFile()],
        // A connector config that declares config.providers of its own is refused, so it cannot
        // get round the worker's env allowlist (or read files). The worker's own providers
        // (connect-distributed.properties) are not "automatic" and stay in force.
        systemProperties: {
          'org.apache.kafka.automatic.config.providers': 'none',
          // The login module of the REST API's Basic authentication.
          'java.security.auth.login.config': jaasFile(),
        },
        env: worker.behindProxy
          ? { ...connectorEnv(), DEEDSTREAM_PG_PORT: String(worker.behindProxy.postgresPort) }
          : connectorEnv(),
      });
    },

    async health(): Promise<Health> {
      try {
        const response = await fetch(`${url}/connector-plugins`, {
          headers: { Authorization: authorization },
          signal: AbortSignal.timeout(2_000),
        });
        if (!response.ok) return { healthy: false, detail: `HTTP ${response.status}` };
        const plugins = (await response.json()) as Array<{ class: string; version: string }>;
        const debezium = plugins.find(
          (p) => p.class === 'io.debezium.connector.postgresql.PostgresConnector',
        );
        return debezium
          ? { healthy: true, detail: `Debezium ${debezium.version}` }
          : { healthy: false, detail: 'Debezium PostgresConnector not on the plugin path yet' };
      } catch (error) {
        return { healthy: false, detail: messageOf(error) };
      }
    },

    findOwnProcess() {
      return findProcessNaming([connectMainClass, moduleOutputDir(kafkaModule), configFile()]);
    },
  };
}

/** The light profile's worker. */
export const connect: Component = connectWorker(
  { name: 'connect', port: stackPorts.connect },
  singleKafka,
  1,
);
