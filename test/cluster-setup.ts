import { provision } from '../services/provision';
import { infrastructureConfig } from '../services/shared/service/infrastructure';
import { messageOf } from '../services/shared/errors/message-of';
import { up } from '../stack/stack';
import { useProfileClientEnv } from '../stack/topology';
import { stackUnavailableVariable } from './support/stack-required';

const say = (line: string) => process.stderr.write(`[deedstream cluster] ${line}\n`);

/**
 * Jest global setup of the cluster tier (`npm run test:cluster`): brings up the cluster
 * profile (refused, in one line, while the light one runs: stop it first), points every
 * client at its nodes and provisions it as `npm start` does. Never rejects: what it cannot
 * bring fails each test file at once (stack-required.ts).
 */
export default async function clusterSetup(): Promise<void> {
  useProfileClientEnv('cluster');
  const began = Date.now();
  say('bringing up the cluster profile (npm run stack -- up --profile cluster)…');
  try {
    await up({ quiet: !process.stderr.isTTY, profile: 'cluster' });
    say(`cluster ready in ${((Date.now() - began) / 1000).toFixed(1)} s; provisioning…`);
    await provision(infrastructureConfig());
  } catch (error) {
    const line = (error as { oneLine?: () => string }).oneLine?.() ?? messageOf(error);
    process.env[stackUnavailableVariable] = line.split('\n')[0] ?? line;
    say(`the cluster profile is unavailable, so every cluster test fails: ${line}`);
  }
}
