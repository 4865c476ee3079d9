import { provision } from '../services/provision';
import { infrastructureConfig } from '../services/shared/config/infrastructure';
import { up } from '../stack/stack';

/**
 * Jest global setup for the int and e2e tiers: starts the native stack, or reuses it if
 * it is already running (`up` is a no-op for healthy components), then provisions it as
 * `npm start` does (migrations, schemas, topics, connectors; all idempotent), so that every
 * test file finds the same world whichever runs first, on a fresh stack too. Unit tests
 * never get here: jest runs a project's global setup only when one of its tests is selected.
 */
export default async function globalSetup(): Promise<void> {
  const began = Date.now();
  process.stderr.write('\n[deedstream] ensuring the native stack is up (npm run stack -- up)…\n');
  await up({ quiet: !process.stderr.isTTY });
  process.stderr.write(
    `[deedstream] stack ready in ${((Date.now() - began) / 1000).toFixed(1)} s; provisioning…\n`,
  );
  const provisioned = Date.now();
  await provision(infrastructureConfig());
  process.stderr.write(`[deedstream] provisioned in ${((Date.now() - provisioned) / 1000).toFixed(1)} s\n`);
}
