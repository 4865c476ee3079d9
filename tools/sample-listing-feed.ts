import fs from 'node:fs';
import path from 'node:path';

/**
 * `npx tsx tools/sample-listing-feed.ts`: writes the sample MLS syndication feed in
 * feeds/sample_mls/ (listings.jsonl, then updates.jsonl), one RESO Data Dictionary 2.x
 * record per line. Everything comes from one seeded PRNG and fixed timestamps, so a rerun
 * writes byte-identical files; the outcome an importer must reach is in the folder's README,
 * and the tool checks its own output against those counts before writing anything.
 */

export const feedFolder = path.join(__dirname, '..', 'feeds', 'sample_mls');

type StandardStatus = 'Active' | 'Withdrawn' | 'Canceled' | 'Expired';
type PropertySubType = 'Apartment' | 'Single Family Residence' | 'Townhouse' | 'Condominium';
type LivingAreaUnits = 'Square Meters' | 'Square Feet';

/** One feed line; the key order here is the key order in the files. */
export interface ListingRecord {
  ListingKey: string;
  ModificationTimestamp: string;
  StandardStatus: StandardStatus;
  ListPrice: number | null;
  CurrencyCode: 'EUR';
  StreetNumber: string;
  StreetName: string;
  City: string;
  StateOrProvince: string;
  PostalCode: string;
  Country: 'NL';
  Latitude: number;
  Longitude: number;
  BedroomsTotal: number;
  BathroomsTotalInteger: number;
  LivingArea: number;
  LivingAreaUnits: LivingAreaUnits;
  PropertyType: 'Residential';
  PropertySubType: PropertySubType;
  PublicRemarks: string | null;
  ListAgentEmail: string;
  ListAgentFullName: string;
  ListOfficeName: string;
}

/** Why the importer must refuse a listings.jsonl record; each rejected record has exactly one. */
type InvalidReason = 'ListPrice null' | 'Latitude out of range' | 'LivingArea 0';
type UpdateKind = 'price' | 'Withdrawn' | 'Canceled' | 'Expired' | 'details' | 'unchanged';

const SEED = 20261207;
const LISTING_COUNT = 1200;
const INVALID_PER_REASON = 10;
const UNKNOWN_AGENT_COUNT = 30;
const SQUARE_FEET_COUNT = 60; // 5 % of the file
const SQUARE_FEET_PER_SQUARE_METER = 10.7639;
const INVALID_LATITUDE = 123.4;
const DETAIL_CHANGE_EXTRA_AREA_M2 = 15;
const UPDATE_PLAN: ReadonlyArray<readonly [UpdateKind, number]> = [
  ['price', 80],
  ['Withdrawn', 25],
  ['Canceled', 10],
  ['Expired', 5],
  ['details', 20],
  ['unchanged', 10],
];
// Fixed instants rather than "now": the files must not depend on the day they are generated.
const LISTINGS_START = Date.parse('2026-11-02T08:00:00Z');
const UPDATES_START = Date.parse('2026-11-16T08:00:00Z');

/** The platform's seeded agent (stack/keycloak/deedstream-realm.json): the importer accepts these. */
const PLATFORM_AGENT = {
  email: 'agent1@deedstream.test',
  fullName: 'Anna Agent',
  office: 'Deedstream Makelaars',
};
/** An agent with no account on the platform: the importer rejects their listings. */
const UNKNOWN_AGENT = {
  email: 'unknown.agent@elsewhere.example',
  fullName: 'Pat Elsewhere',
  office: 'Elsewhere Realty',
};

interface City {
  name: string;
  province: string;
  latitude: number;
  longitude: number;
  pricePerSquareMeter: number;
  /** Relative share of the listings. */
  weight: number;
  /** The city's four-digit postcode range (inclusive). */
  postcodeDigits: readonly [number, number];
  streets: readonly string[];
}

const CITIES: readonly City[] = [
  {
    name: 'Amsterdam',
    province: 'Noord-Holland',
    latitude: 52.37,
    longitude: 4.89,
    pricePerSquareMeter: 7400,
    weight: 26,
    postcodeDigits: [1011, 1109],
    streets: [
      'Prinsengracht',
      'Keizersgracht',
      'Overtoom',
      'Jan Pieter Heijestraat',
      'Ferdinand Bolstraat',
      'Javastraat',
      'Van Woustraat',
      'Admiraal de Ruijterweg',
    ],
  },
  {
    name: 'Rotterdam',
    province: 'Zuid-Holland',
    latitude: 51.92,
    longitude: 4.48,
    pricePerSquareMeter: 4300,
    weight: 18,
    postcodeDigits: [3011, 3089],
    streets: [
      'Witte de Withstraat',
      'Nieuwe Binnenweg',
      'Mathenesserlaan',
      'Oostzeedijk',
      'Kralingse Plaslaan',
      'Putselaan',
      'Schiedamseweg',
      'Bergweg',
    ],
  },
  {
    name: 'Utrecht',
    province: 'Utrecht',
    latitude: 52.09,
    longitude: 5.12,
    pricePerSquareMeter: 5600,
    weight: 14,
    postcodeDigits: [3511, 3585],
    streets: [
      'Oudegracht',
      'Nachtegaalstraat',
      'Biltstraat',
      'Amsterdamsestraatweg',
      'Kanaalstraat',
      'Twijnstraat',
      'Burgemeester Reigerstraat',
      'Vleutenseweg',
    ],
  },
  {
    name: 'Den Haag',
    province: 'Zuid-Holland',
    latitude: 52.08,
    longitude: 4.3,
    pricePerSquareMeter: 4800,
    weight: 15,
    postcodeDigits: [2511, 2597],
    streets: [
      'Laan van Meerdervoort',
      'Frederik Hendriklaan',
      'Weimarstraat',
      'Prinsegracht',
      'Valkenboslaan',
      'Theresiastraat',
      'Zoutmanstraat',
      'Fahrenheitstraat',
    ],
  },
  {
    name: 'Eindhoven',
    province: 'Noord-Brabant',
    latitude: 51.44,
    longitude: 5.48,
    pricePerSquareMeter: 4200,
    weight: 9,
    postcodeDigits: [5611, 5658],
    streets: [
      'Vestdijk',
      'Kruisstraat',
      'Hoogstraat',
      'Boschdijk',
      'Aalsterweg',
      'Leenderweg',
      'Woenselsestraat',
      'Geldropseweg',
    ],
  },
  {
    name: 'Groningen',
    province: 'Groningen',
    latitude: 53.22,
    longitude: 6.57,
    pricePerSquareMeter: 3600,
    weight: 8,
    postcodeDigits: [9711, 9747],
    streets: [
      'Herestraat',
      'Oosterstraat',
      'Zuiderdiep',
      'Nieuwe Ebbingestraat',
      'Paterswoldseweg',
      'Damsterdiep',
      'Hereweg',
      'Korreweg',
    ],
  },
  {
    name: 'Haarlem',
    province: 'Noord-Holland',
    latitude: 52.38,
    longitude: 4.64,
    pricePerSquareMeter: 6000,
    weight: 10,
    postcodeDigits: [2011, 2037],
    streets: [
      'Grote Houtstraat',
      'Kleine Houtweg',
      'Zijlweg',
      'Kruisweg',
      'Rijksstraatweg',
      'Schotersingel',
      'Wilhelminastraat',
      'Amsterdamstraat',
    ],
  },
];

interface SubTypeProfile {
  subType: PropertySubType;
  weight: number;
  /** Living area range in square meters (inclusive). */
  areaM2: readonly [number, number];
  /** How the remarks name it. */
  noun: string;
}

const SUB_TYPES: readonly SubTypeProfile[] = [
  { subType: 'Apartment', weight: 45, areaM2: [35, 110], noun: 'apartment' },
  { subType: 'Condominium', weight: 15, areaM2: [45, 130], noun: 'condominium' },
  { subType: 'Townhouse', weight: 25, areaM2: [80, 170], noun: 'townhouse' },
  { subType: 'Single Family Residence', weight: 15, areaM2: [100, 220], noun: 'family home' },
];

// Remarks name neither bedrooms nor area, so a detail-change update leaves them true.
const REMARK_TEMPLATES: ReadonlyArray<(noun: string, city: string, street: string) => string> = [
  (noun, city) => `Bright ${noun} close to the centre of ${city}.`,
  (noun, _city, street) => `Well-kept ${noun} on the ${street}, close to shops and public transport.`,
  (noun) => `Move-in ready ${noun} with a modern kitchen and bathroom.`,
  (noun, city) => `Quiet ${noun} in a popular neighbourhood of ${city}.`,
  (noun) => `Renovated ${noun} with plenty of natural light.`,
  (noun, _city, street) => `Charming ${noun} on the ${street}, within walking distance of the station.`,
];
const REMARKS_NULL_SHARE = 0.15;

/** Letters used in Dutch postcodes (F, I, O, Q, U and Y are not), minus the pairs PostNL never issues. */
const POSTCODE_LETTERS = 'ABCDEGHJKLMNPRSTVWXZ';
const UNISSUED_POSTCODE_PAIRS = new Set(['SA', 'SD', 'SS']);
const SCATTER_RADIUS_KM = 4;
const KM_PER_DEGREE_LATITUDE = 111.32;
const PRICE_NOISE = 0.07;

/** mulberry32: a tiny seeded PRNG, enough for sample data and identical on every platform. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  fraction(): number {
    return this.next();
  }
  between(low: number, high: number): number {
    return low + (high - low) * this.next();
  }
  /** An integer in [low, high], both included. */
  integer(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }
  pick<T>(items: readonly T[]): T {
    return at(items, Math.floor(this.next() * items.length));
  }
  weighted<T extends { weight: number }>(items: readonly T[]): T {
    const total = items.reduce((sum, item) => sum + item.weight, 0);
    let remaining = this.next() * total;
    for (const item of items) {
      remaining -= item.weight;
      if (remaining < 0) return item;
    }
    return at(items, items.length - 1);
  }
  /** A Fisher-Yates shuffled copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let index = copy.length - 1; index > 0; index--) {
      const other = Math.floor(this.next() * (index + 1));
      [copy[index], copy[other]] = [at(copy, other), at(copy, index)];
    }
    return copy;
  }
}

/** Indexed access that fails loudly instead of yielding undefined (noUncheckedIndexedAccess). */
function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item at index ${index} of ${items.length}`);
  return item;
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function roundToThousands(euros: number): number {
  return Math.round(euros / 1000) * 1000;
}

/** RESO wants an ISO 8601 instant; whole seconds keep the lines short. */
function isoInstant(epochMillis: number): string {
  return new Date(epochMillis).toISOString().replace('.000Z', 'Z');
}

function listingKey(ordinal: number): string {
  return `SMLS-${String(ordinal).padStart(6, '0')}`;
}

function postalCode(random: Random, city: City): string {
  const digits = random.integer(city.postcodeDigits[0], city.postcodeDigits[1]);
  for (;;) {
    const letters = random.pick([...POSTCODE_LETTERS]) + random.pick([...POSTCODE_LETTERS]);
    if (!UNISSUED_POSTCODE_PAIRS.has(letters)) return `${digits} ${letters}`;
  }
}

/** A point uniformly spread over a disc of SCATTER_RADIUS_KM around the city centre. */
function scatteredPosition(random: Random, city: City): { latitude: number; longitude: number } {
  const distanceKm = SCATTER_RADIUS_KM * Math.sqrt(random.fraction());
  const bearing = random.between(0, 2 * Math.PI);
  const kmPerDegreeLongitude = KM_PER_DEGREE_LATITUDE * Math.cos((city.latitude * Math.PI) / 180);
  return {
    latitude: roundTo(city.latitude + (distanceKm * Math.cos(bearing)) / KM_PER_DEGREE_LATITUDE, 5),
    longitude: roundTo(city.longitude + (distanceKm * Math.sin(bearing)) / kmPerDegreeLongitude, 5),
  };
}

function streetNumber(random: Random, subType: PropertySubType): string {
  const number = String(random.integer(1, 240));
  // Dutch apartments often share a front door number and carry a floor or letter suffix.
  const sharesDoor = subType === 'Apartment' || subType === 'Condominium';
  if (sharesDoor && random.fraction() < 0.3) return `${number}-${random.integer(1, 4)}`;
  if (random.fraction() < 0.08) return `${number}${random.pick(['A', 'B'])}`;
  return number;
}

/**
 * Which record (by index) gets which special treatment. The file is cut into as many equal
 * blocks as there are special records and each block gets one at a random offset, so
 * rejected records are spread over the whole file rather than clustered.
 */
interface SpecialRecords {
  invalid: Map<number, InvalidReason>;
  unknownAgent: Set<number>;
  squareFeet: Set<number>;
}

function chooseSpecialRecords(random: Random): SpecialRecords {
  const reasons = random.shuffled(
    (['ListPrice null', 'Latitude out of range', 'LivingArea 0'] as const).flatMap((reason) =>
      Array.from({ length: INVALID_PER_REASON }, () => reason),
    ),
  );
  const invalid = new Map<number, InvalidReason>();
  const unknownAgent = new Set<number>();
  const invalidBlock = LISTING_COUNT / reasons.length;
  reasons.forEach((reason, block) => {
    invalid.set(block * invalidBlock + random.integer(0, invalidBlock - 1), reason);
  });
  const unknownBlock = LISTING_COUNT / UNKNOWN_AGENT_COUNT;
  for (let block = 0; block < UNKNOWN_AGENT_COUNT; block++) {
    let index: number;
    do index = block * unknownBlock + random.integer(0, unknownBlock - 1);
    while (invalid.has(index));
    unknownAgent.add(index);
  }
  // Square feet only on well-formed records: a record is rejected for one reason, never for LivingArea 0 in sqft.
  const eligibleForSquareFeet = Array.from({ length: LISTING_COUNT }, (_, index) => index).filter(
    (index) => !invalid.has(index),
  );
  const squareFeet = new Set(random.shuffled(eligibleForSquareFeet).slice(0, SQUARE_FEET_COUNT));
  return { invalid, unknownAgent, squareFeet };
}

interface GeneratedListing {
  record: ListingRecord;
  /** The true area, whatever unit the record states it in. */
  areaM2: number;
  invalidReason: InvalidReason | null;
  unknownAgent: boolean;
}

function generateListings(random: Random): GeneratedListing[] {
  const special = chooseSpecialRecords(random);
  const listings: GeneratedListing[] = [];
  let timestamp = LISTINGS_START;
  for (let index = 0; index < LISTING_COUNT; index++) {
    timestamp += random.integer(60, 600) * 1000;
    const city = random.weighted(CITIES);
    const profile = random.weighted(SUB_TYPES);
    const areaM2 = random.integer(profile.areaM2[0], profile.areaM2[1]);
    // Rooms follow the area, so a record stays plausible: roughly one bedroom per 32 m², a
    // second bathroom from about 80 m² and a third only in the largest homes.
    const bedrooms = Math.min(6, Math.max(1, Math.round(areaM2 / 32 + random.between(-0.6, 0.6))));
    const bathrooms = Math.min(3, Math.max(1, Math.floor(areaM2 / 90 + random.between(0.2, 1.1))));
    const price = roundToThousands(
      areaM2 * city.pricePerSquareMeter * (1 + random.between(-PRICE_NOISE, PRICE_NOISE)),
    );
    const street = random.pick(city.streets);
    const position = scatteredPosition(random, city);
    const remarks =
      random.fraction() < REMARKS_NULL_SHARE
        ? null
        : random.pick(REMARK_TEMPLATES)(profile.noun, city.name, street);
    const number = streetNumber(random, profile.subType);
    const postcode = postalCode(random, city);
    const inSquareFeet = special.squareFeet.has(index);
    const invalidReason = special.invalid.get(index) ?? null;
    const unknownAgent = special.unknownAgent.has(index);
    const agent = unknownAgent ? UNKNOWN_AGENT : PLATFORM_AGENT;
    const record: ListingRecord = {
      ListingKey: listingKey(index + 1),
      ModificationTimestamp: isoInstant(timestamp),
      StandardStatus: 'Active',
      ListPrice: invalidReason === 'ListPrice null' ? null : price,
      CurrencyCode: 'EUR',
      StreetNumber: number,
      StreetName: street,
      City: city.name,
      StateOrProvince: city.province,
      PostalCode: postcode,
      Country: 'NL',
      Latitude: invalidReason === 'Latitude out of range' ? INVALID_LATITUDE : position.latitude,
      Longitude: position.longitude,
      BedroomsTotal: bedrooms,
      BathroomsTotalInteger: bathrooms,
      LivingArea:
        invalidReason === 'LivingArea 0'
          ? 0
          : inSquareFeet
            ? Math.round(areaM2 * SQUARE_FEET_PER_SQUARE_METER)
            : areaM2,
      LivingAreaUnits: inSquareFeet ? 'Square Feet' : 'Square Meters',
      PropertyType: 'Residential',
      PropertySubType: profile.subType,
      PublicRemarks: remarks,
      ListAgentEmail: agent.email,
      ListAgentFullName: agent.fullName,
      ListOfficeName: agent.office,
    };
    listings.push({ record, areaM2, invalidReason, unknownAgent });
  }
  return listings;
}

interface GeneratedUpdate {
  record: ListingRecord;
  kind: UpdateKind;
}

/** A price cut of 3-10 % that still is one after rounding to thousands. */
function reducedPrice(random: Random, price: number): number {
  for (;;) {
    const reduced = roundToThousands(price * (1 - random.between(0.03, 0.1)));
    const cut = 1 - reduced / price;
    if (cut >= 0.03 && cut <= 0.1) return reduced;
  }
}

function generateUpdates(random: Random, listings: readonly GeneratedListing[]): GeneratedUpdate[] {
  const importable = listings.filter((listing) => listing.invalidReason === null && !listing.unknownAgent);
  // Detail changes add a bedroom and 15 m², so they need room under the 6-bedroom cap and an area stated in m².
  const takesDetailChange = (listing: GeneratedListing): boolean =>
    listing.record.BedroomsTotal < 6 && listing.record.LivingAreaUnits === 'Square Meters';
  const detailCount = UPDATE_PLAN.filter(([kind]) => kind === 'details').reduce((sum, [, n]) => sum + n, 0);
  const candidates = random.shuffled(importable);
  const forDetails = candidates.filter(takesDetailChange).slice(0, detailCount);
  const forOthers = candidates.filter((listing) => !forDetails.includes(listing));

  const planned: Array<{ listing: GeneratedListing; kind: UpdateKind }> = [];
  let nextOther = 0;
  for (const [kind, count] of UPDATE_PLAN) {
    for (let n = 0; n < count; n++) {
      const listing = kind === 'details' ? at(forDetails, n) : at(forOthers, nextOther++);
      planned.push({ listing, kind });
    }
  }

  // Interleave the kinds, as a real feed would, before giving out increasing timestamps.
  let timestamp = UPDATES_START;
  return random.shuffled(planned).map(({ listing, kind }) => {
    timestamp += random.integer(60, 900) * 1000;
    const record: ListingRecord = { ...listing.record, ModificationTimestamp: isoInstant(timestamp) };
    switch (kind) {
      case 'price':
        record.ListPrice = reducedPrice(random, requirePrice(listing.record));
        break;
      case 'Withdrawn':
      case 'Canceled':
      case 'Expired':
        record.StandardStatus = kind;
        break;
      case 'details':
        record.BedroomsTotal += 1;
        record.LivingArea += DETAIL_CHANGE_EXTRA_AREA_M2;
        break;
      case 'unchanged':
        break;
    }
    return { record, kind };
  });
}

function requirePrice(record: ListingRecord): number {
  if (record.ListPrice === null) throw new Error(`${record.ListingKey} has no price to change`);
  return record.ListPrice;
}

/** Whether the importer accepts a listings.jsonl record on its data alone (agent aside). */
function isValid(record: ListingRecord): boolean {
  return record.ListPrice !== null && Math.abs(record.Latitude) <= 90 && record.LivingArea > 0;
}

function isImportable(record: ListingRecord): boolean {
  return isValid(record) && record.ListAgentEmail === PLATFORM_AGENT.email;
}

/**
 * The outcome the README promises and the shape the brief asks for, recomputed from the
 * records themselves rather than from the plan that made them, so a change to the generator
 * cannot silently make the README wrong.
 */
function checkFeed(listings: readonly GeneratedListing[], updates: readonly GeneratedUpdate[]): void {
  const fail = (message: string): never => {
    throw new Error(`sample feed is off: ${message}`);
  };
  const records = listings.map((listing) => listing.record);
  const count = (predicate: (record: ListingRecord) => boolean): number => records.filter(predicate).length;
  if (records.length !== LISTING_COUNT) fail(`${records.length} listings`);
  if (new Set(records.map((record) => record.ListingKey)).size !== records.length)
    fail('duplicate ListingKey');
  if (count((record) => record.ListPrice === null) !== INVALID_PER_REASON) fail('ListPrice null count');
  if (count((record) => Math.abs(record.Latitude) > 90) !== INVALID_PER_REASON) fail('Latitude count');
  if (count((record) => record.LivingArea === 0) !== INVALID_PER_REASON) fail('LivingArea 0 count');
  if (count((record) => !isValid(record)) !== 3 * INVALID_PER_REASON) fail('a record is invalid twice');
  if (count((record) => !isValid(record) && record.ListAgentEmail !== PLATFORM_AGENT.email) > 0)
    fail('an invalid record must have a known agent, so it is rejected for one reason');
  if (count((record) => record.ListAgentEmail === UNKNOWN_AGENT.email) !== UNKNOWN_AGENT_COUNT)
    fail('unknown-agent count');
  if (count(isImportable) !== LISTING_COUNT - 3 * INVALID_PER_REASON - UNKNOWN_AGENT_COUNT)
    fail('importable count');

  for (const { record, areaM2 } of listings) {
    const city = CITIES.find((candidate) => candidate.name === record.City) ?? fail(record.City);
    if (!/^[1-9]\d{3} [A-Z]{2}$/.test(record.PostalCode)) fail(`${record.ListingKey} postcode`);
    if (record.BedroomsTotal < 1 || record.BedroomsTotal > 6) fail(`${record.ListingKey} bedrooms`);
    if (record.BathroomsTotalInteger < 1 || record.BathroomsTotalInteger > 3)
      fail(`${record.ListingKey} baths`);
    if (record.ListPrice !== null) {
      const pricePerM2 = record.ListPrice / areaM2;
      // ±7 % noise plus at most 500 EUR of rounding over the smallest (35 m²) home.
      if (Math.abs(pricePerM2 / city.pricePerSquareMeter - 1) > PRICE_NOISE + 0.005)
        fail(`${record.ListingKey} price ${record.ListPrice} for ${areaM2} m²`);
    }
    if (Math.abs(record.Latitude) <= 90) {
      const northKm = (record.Latitude - city.latitude) * KM_PER_DEGREE_LATITUDE;
      const eastKm =
        (record.Longitude - city.longitude) *
        KM_PER_DEGREE_LATITUDE *
        Math.cos((city.latitude * Math.PI) / 180);
      if (Math.hypot(northKm, eastKm) > SCATTER_RADIUS_KM + 0.01) fail(`${record.ListingKey} too far out`);
    }
  }

  const all = [...records, ...updates.map((update) => update.record)];
  for (let index = 1; index < all.length; index++) {
    if (at(all, index).ModificationTimestamp <= at(all, index - 1).ModificationTimestamp)
      fail(`timestamps not increasing at line ${index + 1}`);
  }

  const plannedUpdates = UPDATE_PLAN.reduce((sum, [, n]) => sum + n, 0);
  if (updates.length !== plannedUpdates) fail(`${updates.length} updates`);
  if (new Set(updates.map((update) => update.record.ListingKey)).size !== updates.length)
    fail('a ListingKey appears twice in updates');
  const byKey = new Map(records.map((record) => [record.ListingKey, record]));
  const changedFieldsByKind: Record<UpdateKind, string> = {
    price: 'ListPrice',
    Withdrawn: 'StandardStatus',
    Canceled: 'StandardStatus',
    Expired: 'StandardStatus',
    details: 'BedroomsTotal,LivingArea',
    unchanged: '',
  };
  for (const { record, kind } of updates) {
    const original = byKey.get(record.ListingKey) ?? fail(`update of unknown ${record.ListingKey}`);
    if (!isImportable(original)) fail(`${record.ListingKey} updates a listing the importer rejects`);
    const changed = (Object.keys(record) as Array<keyof ListingRecord>).filter(
      (field) => field !== 'ModificationTimestamp' && record[field] !== original[field],
    );
    if (changed.join(',') !== changedFieldsByKind[kind])
      fail(`${record.ListingKey} (${kind}) changes ${changed.join(',') || 'nothing'}`);
    if (kind === 'price') {
      const cut = 1 - requirePrice(record) / requirePrice(original);
      if (cut < 0.03 || cut > 0.1 || requirePrice(record) % 1000 !== 0)
        fail(`${record.ListingKey} cut ${cut}`);
    }
    if (kind !== 'price' && kind !== 'details' && kind !== 'unchanged' && record.StandardStatus !== kind)
      fail(`${record.ListingKey} status`);
    if (
      kind === 'details' &&
      (record.BedroomsTotal !== original.BedroomsTotal + 1 ||
        record.BedroomsTotal > 6 ||
        record.LivingAreaUnits !== 'Square Meters' ||
        record.LivingArea !== original.LivingArea + DETAIL_CHANGE_EXTRA_AREA_M2)
    )
      fail(`${record.ListingKey} details`);
  }
}

function toJsonLines(records: readonly ListingRecord[]): string {
  return records.map((record) => JSON.stringify(record)).join('\n') + '\n';
}

if (require.main === module) {
  const random = new Random(SEED);
  const listings = generateListings(random);
  const updates = generateUpdates(random, listings);
  checkFeed(listings, updates);

  fs.mkdirSync(feedFolder, { recursive: true });
  fs.writeFileSync(path.join(feedFolder, 'listings.jsonl'), toJsonLines(listings.map((l) => l.record)));
  fs.writeFileSync(path.join(feedFolder, 'updates.jsonl'), toJsonLines(updates.map((u) => u.record)));

  /** "n value" for each of `order` that occurs in `values`, in that order. */
  const tally = <T>(values: readonly T[], order: readonly T[]): string =>
    order
      .map((value) => [values.filter((v) => v === value).length, value] as const)
      .filter(([occurrences]) => occurrences > 0)
      .map(([occurrences, value]) => `${occurrences} ${String(value)}`)
      .join(', ');
  const reasons: InvalidReason[] = ['ListPrice null', 'Latitude out of range', 'LivingArea 0'];
  const invalid = listings.flatMap((listing) => (listing.invalidReason ? [listing.invalidReason] : []));
  const importable = listings.filter((listing) => isImportable(listing.record));
  const units: LivingAreaUnits[] = ['Square Meters', 'Square Feet'];
  console.log(`feeds/sample_mls/listings.jsonl: ${listings.length} Active listings`);
  console.log(`  importable (agent1, valid): ${importable.length}`);
  console.log(
    `  unknown agent (otherwise valid): ${listings.filter((listing) => listing.unknownAgent).length}`,
  );
  console.log(`  invalid: ${invalid.length} (${tally(invalid, reasons)})`);
  console.log(
    `  cities: ${tally(
      listings.map((listing) => listing.record.City),
      CITIES.map((city) => city.name),
    )}`,
  );
  console.log(
    `  units: ${tally(
      listings.map((listing) => listing.record.LivingAreaUnits),
      units,
    )}`,
  );
  console.log(
    `  units of importable: ${tally(
      importable.map((listing) => listing.record.LivingAreaUnits),
      units,
    )}`,
  );
  console.log(`feeds/sample_mls/updates.jsonl: ${updates.length} updates`);
  console.log(
    `  ${tally(
      updates.map((update) => update.kind),
      UPDATE_PLAN.map(([kind]) => kind),
    )}`,
  );
}
