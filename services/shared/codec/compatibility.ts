import avro from 'avsc';
import { subjectFor, type EventSchema } from './event-schema';
import { messageOf } from '../errors/message-of';

export type CompatibilityVerdict =
  | { subject: string; status: 'new' }
  | { subject: string; status: 'unchanged'; version: number }
  | { subject: string; status: 'compatible'; version: number }
  | { subject: string; status: 'incompatible'; version: number; reason: string };

interface RegisteredVersion {
  version: number;
  schema: string;
}

/**
 * Checks a local schema against the latest one registered under its subject, the way the
 * registry will when it is registered (BACKWARD: the new schema must read data written
 * with the old one). The registry's verdict decides; avsc's resolver names the field.
 */
export async function checkCompatibility(
  registryUrl: string,
  topic: string,
  local: EventSchema,
): Promise<CompatibilityVerdict> {
  const subject = subjectFor(topic, local.schema);
  const latest = await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions/latest`);
  if (latest.status === 404) return { subject, status: 'new' };
  if (!latest.ok)
    throw new Error(`registry answered ${latest.status} for ${subject}: ${await latest.text()}`);
  const registered = (await latest.json()) as RegisteredVersion;

  const writer = avro.Type.forSchema(JSON.parse(registered.schema) as avro.Schema);
  const reader = avro.Type.forSchema(local.schema as avro.Schema);
  if (writer.equals(reader)) return { subject, status: 'unchanged', version: registered.version };

  const verdict = await fetch(
    `${registryUrl}/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: JSON.stringify(local.schema) }),
    },
  );
  if (!verdict.ok)
    throw new Error(`registry answered ${verdict.status} checking ${subject}: ${await verdict.text()}`);
  const { is_compatible: compatible } = (await verdict.json()) as { is_compatible: boolean };
  if (compatible) return { subject, status: 'compatible', version: registered.version };
  return {
    subject,
    status: 'incompatible',
    version: registered.version,
    reason: incompatibilityReason(reader, writer),
  };
}

/** What stops `reader` from decoding data written with `writer`, in avsc's words (it names the field). */
export function incompatibilityReason(reader: avro.Type, writer: avro.Type): string {
  try {
    reader.createResolver(writer);
    return 'the registry refused it (no field-level reason available)';
  } catch (error) {
    return messageOf(error);
  }
}
