import { localUser, type Identity } from '../../../test/support/identities';
import { listing, startPropertyService, type PropertyHarness } from '../../../test/support/property-harness';

/**
 * POST /properties with the consistency token of the agent's profile write: the listing
 * waits for that version of the card (the consumer is not running here, so it never
 * arrives) and answers 503 without writing; a token of someone else is a 400.
 */
let api: PropertyHarness;
let agent: Identity;

beforeAll(async () => {
  api = await startPropertyService({ env: { AGENT_CARD_WAIT_MS: '300' } });
  agent = await localUser('agent1');
}, 60_000);

afterAll(async () => {
  await api.close();
});

describe('POST /properties with a profile consistency token', () => {
  it("answers 503 with Retry-After when the agent's card of that version has not arrived", async () => {
    const began = Date.now();
    const answer = await api.as(agent)('POST', '/properties', listing(), {
      'X-Consistency-Token': `${agent.subject}@999999`,
    });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(answer.body.detail).toMatch(/has not applied version 999999/);
    expect(Date.now() - began).toBeGreaterThanOrEqual(250);
  });

  it("refuses a token naming someone else's profile", async () => {
    const answer = await api.as(agent)('POST', '/properties', listing(), {
      'X-Consistency-Token': `${api.seller.subject}@1`,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      {
        field: 'header.X-Consistency-Token',
        message: 'names another person: send the token your own PUT /people/me answered with',
      },
    ]);
  });
});
