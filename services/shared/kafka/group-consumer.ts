import type { Consumer, Kafka } from 'kafkajs';

/** How a service's consumer groups talk to the broker (KAFKA_SESSION_TIMEOUT_MS, KAFKA_FETCH_WAIT_MS). */
export interface GroupSettings {
  /** How long the broker waits for a silent member (a killed replica) before moving its partitions. */
  sessionTimeoutMs: number;
  /**
   * The longest a fetch waits on partitions with nothing new. A fetch is a long poll: the
   * broker answers as soon as a message arrives, so a longer wait costs no latency, only
   * fewer round trips while idle; stopping a consumer waits for the fetch in flight.
   */
  fetchWaitMs: number;
  /** Consumed offsets are committed at most this often (0: after every batch); see DeferredCommits. */
  commitIntervalMs: number;
}

export const defaultGroupSettings: GroupSettings = {
  sessionTimeoutMs: 30_000,
  fetchWaitMs: 2_000,
  commitIntervalMs: 1_000,
};

/** A kafkajs consumer in group `groupId`: every consumer group of deedstream is made here. */
export function groupConsumer(kafka: Kafka, groupId: string, settings: GroupSettings): Consumer {
  return kafka.consumer({
    groupId,
    sessionTimeout: settings.sessionTimeoutMs,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: settings.fetchWaitMs,
  });
}
