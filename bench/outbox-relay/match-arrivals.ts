import type { Commit } from './property-event-writer';
import type { RelayConsumer } from './relay-consumer';

/** Joins commits with arrivals: latencies, duplicates and missing events. */
export function matchArrivals(commits: readonly Commit[], consumer: RelayConsumer) {
  const toCreate: number[] = [];
  const toReceive: number[] = [];
  const fromStartToReceive: number[] = [];
  let duplicates = 0;
  let missing = 0;
  let lastReceived = 0;
  let lastCreate = 0;
  let firstReceived = Number.POSITIVE_INFINITY;
  for (const commit of commits) {
    const arrival = consumer.arrivals.get(commit.eventId);
    if (!arrival) {
      missing++;
      continue;
    }
    duplicates += arrival.count - 1;
    toCreate.push(arrival.message.createTime - commit.committedAt);
    toReceive.push(arrival.message.receivedAt - commit.committedAt);
    fromStartToReceive.push(arrival.message.receivedAt - commit.startedAt);
    lastReceived = Math.max(lastReceived, arrival.message.receivedAt);
    firstReceived = Math.min(firstReceived, arrival.message.receivedAt);
    lastCreate = Math.max(lastCreate, arrival.message.createTime);
  }
  return {
    toCreate,
    toReceive,
    fromStartToReceive,
    duplicates,
    missing,
    lastReceived,
    firstReceived,
    lastCreate,
  };
}
