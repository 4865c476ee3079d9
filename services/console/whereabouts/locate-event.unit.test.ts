import { partitionOfKey } from './locate-event';

describe('partitionOfKey', () => {
  it("gives a key the partition Debezium's producer (Kafka's murmur2 default partitioner) put it in", () => {
    // Observed on the stack: this property's events are in partition 3 of property.events' 12.
    expect(partitionOfKey('property.events', 'db50abd7-7f5f-41dc-a3e3-14f0fcebc720', 12)).toBe(3);
  });

  it('keeps every key of the same id in one partition, within range', () => {
    const partitions = new Set(['a', 'b', 'c', 'd', 'e'].map((k) => partitionOfKey('t', k, 12)));
    for (const p of partitions) expect(p).toBeGreaterThanOrEqual(0);
    for (const p of partitions) expect(p).toBeLessThan(12);
    expect(partitionOfKey('t', 'same', 12)).toBe(partitionOfKey('t', 'same', 12));
  });
});
