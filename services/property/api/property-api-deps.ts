import type { RunsCommands } from '../../shared/http/command-runner';
import type { AggregateReader } from '../../shared/event-sourcing/repository';
import type { Caller } from '../../shared/http/caller';
import type { Property } from '../domain/property';
import type { ListingAgentCard, PropertyEvent } from '../published/property-events';
import type { PublicAgentCard } from '../published/listing-agent-view';
import type { FeedSourceReport } from '../feeds/feed-report';

/**
 * What the property API needs: the command path, the repository's reads, the People
 * service's cards, and the listing feeds' report.
 */
export interface PropertyApiDeps {
  runner: RunsCommands<Property>;
  repository: AggregateReader<PropertyEvent, Property>;
  /** The card an agent's listing carries (from their profile); null for a seller. */
  listingAgentOf?: (caller: Caller) => Promise<ListingAgentCard | null>;
  /**
   * Waits (bounded, else a 503) until the agent's card has the version of a profile
   * consistency token ("<personId>@<version>" from PUT /people/me).
   */
  awaitAgentCard?: (token: string) => Promise<void>;
  /** The public card of a listing's agent, decrypted now (erased once their key is gone). */
  agentCardView?: (card: ListingAgentCard | null) => Promise<PublicAgentCard | null>;
  /** Every listing feed's report: each source with records, and each configured one. */
  feedReports: () => Promise<FeedSourceReport[]>;
  clock?: () => Date;
}
