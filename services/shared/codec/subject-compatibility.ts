import { COMPATIBILITY } from '@kafkajs/confluent-schema-registry';

/**
 * The compatibility rule of every subject: BACKWARD_TRANSITIVE. Consumers decode each
 * message with the schema it was written with and upcast in code, and a rebuild reads a
 * topic from its first offset, so the newest schema of a type must read data written with
 * every earlier one, not only the last. FULL_TRANSITIVE would also demand that old readers
 * read new data, which a real removal (PropertyListed v2 drops propertyId, which v1 required)
 * can never satisfy; upcasters, not old readers, are how this system meets old data.
 */
export const subjectCompatibility = COMPATIBILITY.BACKWARD_TRANSITIVE;

/**
 * Sets the rule on a subject that exists already (one registered under an older rule);
 * a new subject gets it when its first schema is registered.
 */
export async function applySubjectCompatibility(registryUrl: string, subject: string): Promise<void> {
  const response = await fetch(`${registryUrl}/config/${encodeURIComponent(subject)}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: subjectCompatibility }),
  });
  if (response.status === 404) return;
  if (!response.ok)
    throw new Error(
      `registry answered ${response.status} setting ${subjectCompatibility} on ${subject}: ${await response.text()}`,
    );
}
