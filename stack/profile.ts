import fs from 'node:fs';
import path from 'node:path';
import { StackError } from './errors';

/**
 * What `up` starts. `light`: one of each component, as a laptop and CI need. `cluster`: the
 * production topology in small (three Kafka brokers, two Connect workers, two Elasticsearch
 * data nodes and a master-only tiebreaker), in a data folder of its own.
 */
export const stackProfiles = ['light', 'cluster'] as const;
export type StackProfile = (typeof stackProfiles)[number];

export function parseProfile(value: string): StackProfile {
  const profile = stackProfiles.find((candidate) => candidate === value);
  if (!profile) throw new StackError(`unknown profile "${value}"`, `use one of: ${stackProfiles.join(', ')}`);
  return profile;
}

/** Where the profile `up` last started is recorded, beside the profiles' folders. */
const recordFile = (stackHome: string) => path.join(stackHome, 'profile');

/**
 * The profile this process works on: DEEDSTREAM_STACK_PROFILE if set, else the one `up` last
 * started (so `status` and `down` find a cluster without being told), else light.
 */
export function activeProfile(stackHome: string): StackProfile {
  const chosen = process.env.DEEDSTREAM_STACK_PROFILE;
  if (chosen) return parseProfile(chosen);
  try {
    return parseProfile(fs.readFileSync(recordFile(stackHome), 'utf8').trim());
  } catch {
    return 'light';
  }
}

/** Makes `profile` this process's profile and the one later commands find. */
export function recordProfile(stackHome: string, profile: StackProfile): void {
  process.env.DEEDSTREAM_STACK_PROFILE = profile;
  fs.mkdirSync(stackHome, { recursive: true });
  fs.writeFileSync(recordFile(stackHome), `${profile}\n`);
}
