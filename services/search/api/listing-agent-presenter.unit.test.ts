import { FieldCipher } from '../../shared/privacy/field-cipher';
import { MemoryKeyStore } from '../../shared/privacy/memory-key-store';
import type { PropertySearchDocument } from '../projections/property-search-document';
import { listingAgentPresenter } from './listing-agent-presenter';

const base = {
  id: 'p1',
  version: 1,
  status: 'listed',
  street: 'Teststraat 1',
  city: 'Amsterdam',
  postalCode: '1015 CJ',
  region: 'Noord-Holland',
  country: 'NL',
  address: 'Teststraat 1, 1015 CJ Amsterdam, Noord-Holland, NL',
  location: { lat: 52.37, lon: 4.88 },
  price: { amount: 500000, currency: 'EUR' },
  bedrooms: 2,
  bathrooms: 1,
  areaSqm: 80,
  type: 'apartment',
  description: null,
  listedAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  priceChangeCount: 0,
  offerCount: 0,
} as const;

describe('listingAgentPresenter', () => {
  const keys = new MemoryKeyStore();
  const present = listingAgentPresenter(new FieldCipher(keys));

  it('shows the public card decrypted, then erased once the key is destroyed (never an error)', async () => {
    await keys.ensureKey('agent-1');
    const agentName = await new FieldCipher(keys).encrypt('agent-1', 'name', 'Anouk');
    const document: PropertySearchDocument = { ...base, agentId: 'agent-1', agency: 'Grachten', agentName };
    expect((await present(document)).listingAgent).toEqual({
      agentId: 'agent-1',
      name: 'Anouk',
      agency: 'Grachten',
      erased: false,
    });
    await keys.destroySubject('agent-1');
    const erased = await present(document);
    expect(erased.listingAgent).toEqual({ agentId: 'agent-1', name: null, agency: null, erased: true });
    expect(Object.keys(erased)).not.toContain('agentName');
  });

  it('reads a document written before listing agents existed (no agent fields) as having none', async () => {
    // Indices made by an earlier version of the projector hold documents without the fields.
    const old = { ...base } as unknown as PropertySearchDocument;
    expect((await present(old)).listingAgent).toBeNull();
  });
});
