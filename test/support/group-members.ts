import { AssignerProtocol } from 'kafkajs';
import { kafka } from './pipeline';

/** Each member of a consumer group and how many partitions it holds now. */
export async function groupMembers(
  groupId: string,
): Promise<Array<{ clientHost: string; partitions: number }>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return (groups[0]?.members ?? []).map((member) => {
      const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      const partitions = Object.values(assignment?.assignment ?? {}).reduce((n, list) => n + list.length, 0);
      return { clientHost: member.clientHost, partitions };
    });
  } finally {
    await admin.disconnect();
  }
}
