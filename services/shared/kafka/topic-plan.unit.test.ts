import { loadTopicPlan } from './topic-plan';

/** connectors/topics.json as provisioning reads it. */
describe('the topic plan', () => {
  it("takes the file's replication factor, or the one a deployment sets for every topic", () => {
    const asDeclared = loadTopicPlan();
    expect(new Set(asDeclared.map((t) => t.replicationFactor))).toEqual(new Set([1]));
    const onACluster = loadTopicPlan(undefined, { replicationFactor: 3, minInsyncReplicas: 2 });
    expect(onACluster.map((t) => t.name)).toEqual(asDeclared.map((t) => t.name));
    expect(new Set(onACluster.map((t) => t.replicationFactor))).toEqual(new Set([3]));
    expect(new Set(onACluster.map((t) => t.config['min.insync.replicas']))).toEqual(new Set(['2']));
    expect(asDeclared.some((t) => 'min.insync.replicas' in t.config)).toBe(false);
    // More replicas in sync than there are: no write could ever be acknowledged.
    expect(() => loadTopicPlan(undefined, { replicationFactor: 1, minInsyncReplicas: 2 })).toThrow(
      /min.insync.replicas 2 but 1 replicas: no write could succeed/,
    );
  });

  it("keeps every event topic's full history", () => {
    for (const topic of loadTopicPlan().filter((t) => t.name.endsWith('.events'))) {
      expect([topic.name, topic.config]).toEqual([
        topic.name,
        expect.objectContaining({ 'cleanup.policy': 'delete', 'retention.ms': '-1' }),
      ]);
    }
  });
});
