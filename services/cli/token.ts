import { Command } from 'commander';
import { tokenClientConfig } from '../shared/auth/auth-config';
import { passwordGrantToken } from '../shared/auth/token-grants';
import { messageOf } from '../shared/errors/message-of';

/**
 * `npm run -s token -- <username> [--password <p>]`: prints an access token for a user of the
 * local realm and nothing else, for `curl -H "Authorization: Bearer $(npm run -s token -- seller1)"`.
 * Local development and tests only (password grant, shared test passwords).
 */
const program = new Command('token')
  .description(
    'Prints an access token for a user of the local Keycloak realm (password grant, client OIDC_CLIENT_ID)',
  )
  .argument('<username>', 'e.g. seller1, agent1, buyer1, buyer2, compliance1, registrar1, ops1')
  .option('-p, --password <password>', "the user's password", 'deedstream')
  .showHelpAfterError()
  .action(async (username: string, options: { password: string }) => {
    const config = tokenClientConfig();
    const token = await passwordGrantToken({
      issuerUrl: config.OIDC_ISSUER_URL,
      clientId: config.OIDC_CLIENT_ID,
      username,
      password: options.password,
    });
    process.stdout.write(`${token}\n`);
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`token: ${messageOf(error)}`);
  process.exit(1);
});
