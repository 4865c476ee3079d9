import type { Admin } from 'kafkajs';
import { waitFor } from './wait-for';

/**
 * Deletes a test's consumer groups. A member that could not leave cleanly (a stop cut short,
 * a client that never reached the broker) holds its group until its session times out, and
 * Kafka refuses to delete a group that still has members: so this waits, bounded, until each
 * group is empty or gone, then deletes those that exist, each once.
 */
export async function deleteConsumerGroups(
  admin: Admin,
  groupIds: readonly string[],
  timeoutMs = 30_000,
): Promise<void> {
  const unique = [...new Set(groupIds)];
  if (unique.length === 0) return;
  let states: Array<{ groupId: string; state: string }> = [];
  await waitFor(
    () =>
      `consumer groups to empty: ${states
        .filter((g) => !['Empty', 'Dead'].includes(g.state))
        .map((g) => `${g.groupId} ${g.state}`)
        .join(', ')}`,
    async () => {
      states = (await admin.describeGroups(unique)).groups;
      return states.every((g) => g.state === 'Empty' || g.state === 'Dead');
    },
    { timeoutMs, pollMs: 250 },
  );
  const existing = states.filter((g) => g.state === 'Empty').map((g) => g.groupId);
  if (existing.length > 0) await admin.deleteGroups(existing);
}
