import fs from 'node:fs';
import path from 'node:path';
import { connectorNames, loadConnector } from '../shared/connect/connector-file';
import { kafkaConnector, kafkaTopics, type StrimziTargets } from '../shared/connect/strimzi-resources';
import { loadTopicPlan } from '../shared/kafka/topic-plan';
import { repoRoot } from '../shared/config/repo-root';
import { yamlStream } from './yaml-stream';

/** Where the rendering is committed (a kustomize folder), kept in step with connectors/ by a unit test. */
export const strimziManifestsDir = path.join(repoRoot, 'deploy', 'kubernetes', 'strimzi');

/** The rendering's files. */
export const strimziManifestFiles = {
  topics: 'kafka-topics.yaml',
  connectors: 'kafka-connectors.yaml',
} as const;

const header = (what: string) =>
  `# ${what}, rendered from connectors/ by \`npm run connectors -- render --target strimzi\`: edit those files, not this one.\n`;

/** The Strimzi rendering of connectors/topics.json and every connector file, by file name. */
export function renderStrimziManifests(targets: StrimziTargets): Record<string, string> {
  return {
    [strimziManifestFiles.topics]:
      header('KafkaTopic of every topic in connectors/topics.json') +
      yamlStream(
        kafkaTopics(
          loadTopicPlan(undefined, {
            replicationFactor: targets.replicas,
            minInsyncReplicas: targets.minInsyncReplicas,
          }),
          targets,
        ),
      ),
    [strimziManifestFiles.connectors]:
      header('KafkaConnector of every connector in connectors/*.json') +
      yamlStream(connectorNames().map((name) => kafkaConnector(loadConnector(name), targets))),
  };
}

/** Writes the rendering into `dir`; returns the files written. */
export function writeStrimziManifests(dir: string, targets: StrimziTargets): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return Object.entries(renderStrimziManifests(targets)).map(([file, text]) => {
    const target = path.join(dir, file);
    fs.writeFileSync(target, text);
    return target;
  });
}
