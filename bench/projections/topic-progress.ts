import type { Admin } from 'kafkajs';
import { consumerGroupLag } from '../../services/shared/projection/consumer-lag';
import { now, sleep } from '../support/measure';

/** The topic's end offsets summed (`high`), and the messages it still holds (Σ high − low). */
export async function topicTotals(admin: Admin, topic: string): Promise<{ high: bigint; messages: bigint }> {
  let high = 0n;
  let messages = 0n;
  for (const p of await admin.fetchTopicOffsets(topic)) {
    high += BigInt(p.high);
    messages += BigInt(p.high) - BigInt(p.low);
  }
  return { high, messages };
}

async function groupLag(admin: Admin, groupId: string, topics: string[]): Promise<number> {
  return (await consumerGroupLag(admin, groupId, topics)).reduce((sum, p) => sum + p.lag, 0);
}

export interface CatchUp {
  /** When lag 0 was seen. */
  doneAt: number;
  /** The first poll that saw committed progress (the group has joined and written a batch), and its lag. */
  firstProgressAt: number;
  lagAtFirstProgress: number;
}

/** Polls every `everyMs` until the group has consumed everything. */
export async function waitForLagZero(
  admin: Admin,
  groupId: string,
  topics: string[],
  everyMs: number,
  timeoutMs: number,
): Promise<CatchUp> {
  const deadline = Date.now() + timeoutMs;
  let initial: number | undefined;
  let first: { at: number; lag: number } | undefined;
  for (;;) {
    const lag = await groupLag(admin, groupId, topics);
    const at = now();
    initial ??= lag;
    if (!first && lag < initial) first = { at, lag };
    if (lag === 0)
      return { doneAt: at, firstProgressAt: first?.at ?? at, lagAtFirstProgress: first?.lag ?? 0 };
    if (Date.now() > deadline) throw new Error(`${groupId} not caught up within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}
