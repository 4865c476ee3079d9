import type { Kysely } from 'kysely';
import type { FieldCipher } from '../../shared/privacy/field-cipher';
import type { AgentCardTables } from '../agent-cards-table';

/**
 * Finds the platform's agent a feed names by email. Agents' emails live on their cards
 * encrypted with each agent's own key, so the directory decrypts them (an erased agent's
 * stays unreadable, so they are never matched again). Kept for `ttlMs`: agents are few and
 * a feed file has many listings of the same one.
 */
export class FeedAgents {
  private byEmail: Promise<Map<string, string>> | undefined;
  private loadedAt = 0;

  constructor(
    private readonly db: Kysely<AgentCardTables>,
    private readonly cipher: FieldCipher,
    private readonly ttlMs = 30_000,
  ) {}

  /** The agent id (People id) whose card has this email, or undefined. */
  async agentWithEmail(email: string): Promise<string | undefined> {
    if (!this.byEmail || Date.now() - this.loadedAt > this.ttlMs) {
      this.loadedAt = Date.now();
      this.byEmail = this.load().catch((error: unknown) => {
        this.byEmail = undefined;
        throw error;
      });
    }
    return (await this.byEmail).get(email.toLowerCase());
  }

  private async load(): Promise<Map<string, string>> {
    const cards = await this.db
      .selectFrom('agent_cards')
      .select(['agent_id', 'email'])
      .where('name', 'is not', null)
      .where('email', 'is not', null)
      .execute();
    const entries = await Promise.all(
      cards.map(async (card): Promise<[string, string] | undefined> => {
        if (!card.email) return undefined;
        const email = await this.cipher.decrypt(card.email, 'email');
        return email.kind === 'plain' ? [email.value.toLowerCase(), card.agent_id] : undefined;
      }),
    );
    return new Map(entries.filter((entry): entry is [string, string] => entry !== undefined));
  }
}
