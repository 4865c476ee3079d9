/** The shapes the pages read (as the services document them in their /openapi.json). */
export interface Session {
  username: string;
  subject: string;
  roles: string[];
}

export interface Money {
  amount: number;
  currency: string;
}

export interface SearchHit {
  id: string;
  version: number;
  status: string;
  address: string;
  city: string;
  location: { lat: number; lon: number };
  price: Money;
  bedrooms: number;
  bathrooms: number;
  areaSqm: number;
  type: string;
  listedAt: string;
  distanceKm?: number;
}

export interface SearchResult {
  total: number;
  items: SearchHit[];
  nextCursor: string | null;
  facets: {
    type: Array<{ value: string; count: number }>;
    bedrooms: Array<{ value: number; count: number }>;
    price: Array<{ from: number; to: number; count: number }>;
  };
}

export interface PropertyState {
  id: string;
  version: number;
  status: string;
  address: {
    street: string;
    city: string;
    postalCode: string;
    region: string;
    country: string;
    lat: number;
    lon: number;
  };
  price: Money;
  bedrooms: number;
  bathrooms: number;
  areaSqm: number;
  type: string;
  description: string | null;
  listedAt: string;
  offers: Array<{ offerId: string; amount: Money; status: string }>;
  priceChangeCount: number;
}

export interface PropertyEvent {
  eventId: string;
  version: number;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface MarketReport {
  city: string;
  from: string;
  to: string;
  currencies: string[];
  days: Array<{
    day: string;
    activeListings: number;
    medianListPrice: number | null;
    medianSalePrice: number | null;
    medianDaysOnMarket: number | null;
  }>;
}

/** One past sale a valuation was based on (its id is the sold property's id). */
export interface Comparable {
  id: string;
  street: string;
  city: string;
  location: { lat: number; lon: number };
  propertyType: string;
  areaSqm: number;
  bedrooms: number;
  bathrooms: number;
  soldAt: string;
  salePrice: Money;
  distanceKm: number;
  pricePerSqm: number;
  /** The price per m² moved along the market trend to the valuation date. */
  adjustedPricePerSqm: number;
  /** Its share of the estimate; the weights add up to 1. */
  weight: number;
}

/** GET /valuations/:propertyId of the valuation service: an estimate, or "not enough comparables". */
export interface Valuation {
  subject: {
    propertyId: string | null;
    city: string;
    propertyType: string;
    areaSqm: number;
    bedrooms: number;
    bathrooms: number;
    location: { lat: number; lon: number };
    askingPrice: Money | null;
  };
  method: 'sales-comparison';
  asOf: string;
  outcome: 'estimated' | 'insufficient-comparables';
  estimate: Money | null;
  /** Where the price should land with the given confidence (0.8: four times in five). */
  band: { low: Money; high: Money; confidence: number } | null;
  pricePerSqm: number | null;
  sampleSize: number;
  minimumSample: number;
  marketTrend: {
    /** Fractional change per year (0.05: 5 % a year); 0 when not fitted. */
    annualChange: number;
    months: number;
    sales: number;
    fitted: boolean;
  };
  comparables: Comparable[];
}

export interface ParkedMessage {
  aggregateId: string;
  dlqOffset: string;
  eventType?: string;
  aggregateVersion?: string;
  reason?: string;
  error?: string;
  original: string;
}

export interface ProjectionStatus {
  projection: string;
  group: string;
  alias: string;
  index: string | null;
  lastRebuildAt: string | null;
  documents: number;
  lag: number;
  parked: Array<{
    aggregateId: string;
    parkedAt: string;
    parkedMessages: number;
    lastError: string;
    messages: ParkedMessage[];
  }>;
}

export interface Pipeline {
  checkedAt: string;
  services: Array<{ name: string; url: string; ready: string; checks: Record<string, string> }>;
  relays: Array<{
    connector: string;
    services: string[];
    state: string;
    tasks: Array<{ id: number; state: string; trace?: string }>;
    slot: {
      name: string;
      health: string;
      detail: string | null;
      active: boolean | null;
      lagBytes: number | null;
      walStatus: string | null;
    };
    outbox: { rows: number; backlog: number; relayedUpTo: string | null };
    error: string | null;
  }>;
  projections: Array<{ service: string; status: ProjectionStatus | null; error: string | null }>;
  consumerLag: { sampleMs: number; samples: Array<{ at: string; lag: Record<string, number> }> };
}

/** One listing feed's records (GET /ops/feeds of the property service). */
export interface ListingFeedReport {
  source: string;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  reasons: Array<{ reason: string; records: number }>;
  lastRecordAt: string | null;
}

export interface ListingFeeds {
  sources: ListingFeedReport[];
}

export interface Whereabouts {
  propertyId: string;
  version: number;
  eventType: string | null;
  committedAt: string;
  kafka: { topic: string; partition: number; offset: string; timestamp: string; relayLagMs: number } | null;
  kafkaError: string | null;
  readModels: Array<{
    name: string;
    version: number | null;
    behindVersions: number;
    caughtUp: boolean;
    behindForMs: number;
    error: string | null;
  }>;
  checkedAt: string;
}

/** One message of the audit trail (GET /audit of the audit service). */
export interface AuditEntry {
  position: string;
  messageId: string;
  kind: 'event' | 'command' | 'reply';
  topic: string;
  partition: number;
  offset: string;
  aggregateType: string;
  aggregateId: string;
  sequence: number;
  type: string;
  /** The token subject the message was sent for; null for the system's own. */
  actor: string | null;
  correlationId: string;
  causationId: string | null;
  /** The purchase's transaction id when the message belongs to a purchase saga. */
  purchaseId: string | null;
  occurredAt: string;
  recordedAt: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}
