import {
  startInMemoryPropertyApi,
  type InMemoryPropertyApi,
} from '../../../test/support/in-memory-property-api';
import type { FeedSourceReport } from '../feeds/feed-report';

// GET /ops/feeds over the in-memory API: who may read the report, and its documented shape
// (every answer is checked against the served OpenAPI document).
const sampleMls: FeedSourceReport = {
  source: 'sample_mls',
  imported: 1140,
  updated: 0,
  unchanged: 0,
  rejected: 60,
  reasons: [{ reason: 'ListPrice: a number', records: 60 }],
  lastRecordAt: '2026-11-02T08:05:00.000Z',
};

let api: InMemoryPropertyApi;
beforeAll(async () => {
  api = await startInMemoryPropertyApi({ feedReports: async () => [sampleMls] });
});
afterAll(() => api.close());

describe('GET /ops/feeds', () => {
  it('gives an operator every source’s report', async () => {
    const ops = await api.as(await api.user('ops1', ['ops']))('GET', '/ops/feeds');
    expect(ops.status).toBe(200);
    expect(ops.body).toEqual({ sources: [sampleMls] });
  });

  it('refuses anyone else: 401 without a token, 403 naming the rule without the ops role', async () => {
    expect((await api.anonymous('GET', '/ops/feeds')).status).toBe(401);
    const buyer = await api.as(api.buyer)('GET', '/ops/feeds');
    expect(buyer.status).toBe(403);
    expect(buyer.body.rule).toBe('feeds-ops-only');
  });
});
