import path from 'node:path';
import { provision } from '../services/provision';
import { infrastructureConfig } from '../services/shared/service/infrastructure';
import { up } from '../stack/stack';
import { chromiumPackage, chromiumUnavailableVariable } from './support/chromium';
import { stackUnavailableVariable } from './support/stack-required';
import { ensureSystemPackage, missingPackageLine } from './support/system-package';
import { messageOf } from '../services/shared/errors/message-of';

const say = (line: string) => process.stderr.write(`[deedstream] ${line}\n`);

/** The one line an error of the stack or of provisioning comes down to. */
function oneLine(error: unknown): string {
  const line = (error as { oneLine?: () => string }).oneLine?.() ?? messageOf(error);
  return line.split('\n')[0] ?? line;
}

/**
 * Starts the native stack (or reuses it: `up` is a no-op for healthy components), then
 * provisions it as `npm start` does (migrations, schemas, topics, connectors; idempotent),
 * so every test file finds the same world whichever runs first. Resolves with why the stack
 * is unavailable, or undefined; never rejects.
 */
async function stackReady(): Promise<string | undefined> {
  const began = Date.now();
  say('ensuring the native stack is up (npm run stack -- up)…');
  try {
    // Always the light profile: the cluster's tier has a setup of its own (cluster-setup.ts).
    await up({ quiet: !process.stderr.isTTY, profile: 'light' });
    say(`stack ready in ${((Date.now() - began) / 1000).toFixed(1)} s; provisioning…`);
    const provisioned = Date.now();
    await provision(infrastructureConfig());
    say(`provisioned in ${((Date.now() - provisioned) / 1000).toFixed(1)} s`);
    return undefined;
  } catch (error) {
    return oneLine(error);
  }
}

/**
 * Jest global setup for the int and e2e tiers (unit tests never get here: jest runs a
 * project's global setup only when one of its tests is selected). It brings what those
 * tests need on a fresh machine: the native stack, and Debian's Chromium for the browser
 * tests (installed meanwhile, when it is missing and this machine allows it).
 *
 * It never fails the run: a prerequisite it cannot bring is named in one line here and
 * fails exactly the files that need it, at once (test/support/stack-required.ts, chromiumPath),
 * while every other file runs and jest prints its summary.
 */
export default async function globalSetup(): Promise<void> {
  const aptLog = path.resolve(__dirname, '../test-output/apt-chromium.log');
  const [stackProblem, chromiumProblem] = await Promise.all([
    stackReady(),
    ensureSystemPackage(chromiumPackage, aptLog, say),
  ]);
  if (stackProblem) {
    process.env[stackUnavailableVariable] = stackProblem;
    say(`the native stack is unavailable, so every int and e2e file fails: ${stackProblem}`);
  }
  if (chromiumProblem) {
    process.env[chromiumUnavailableVariable] = chromiumProblem;
    say(missingPackageLine(chromiumPackage, chromiumProblem));
  }
}
