import type { TokenVerification, TokenVerifier } from './token-verification';
import { cacheVerifiedTokens } from './verified-token-cache';

/** An issuer stand-in: accepts tokens named "good-<exp seconds>", refuses the rest, counts its checks. */
class CountingVerifier implements TokenVerifier {
  checks = 0;
  async verifyAccessToken(token: string | undefined): Promise<TokenVerification> {
    this.checks += 1;
    const exp = /^good-(\d+)$/.exec(token ?? '')?.[1];
    if (!exp) return { ok: false, reason: 'bad_signature', description: 'no' };
    const expiresAt = new Date(Number(exp) * 1000);
    if (Date.parse('2026-01-01T00:00:00Z') + clock.offset >= expiresAt.getTime() + 5_000)
      return { ok: false, reason: 'expired', description: 'the token has expired' };
    return { ok: true, token: { subject: 'user-1', roles: ['buyer'], expiresAt } };
  }
}
const clock = { offset: 0 };
const start = Date.parse('2026-01-01T00:00:00Z');
const expSeconds = start / 1000 + 300;

function setup() {
  clock.offset = 0;
  const inner = new CountingVerifier();
  const verifier = cacheVerifiedTokens(inner, {
    maxTokens: 2,
    clockToleranceSeconds: 5,
    now: () => start + clock.offset,
  });
  return { inner, verifier };
}

describe('cacheVerifiedTokens', () => {
  it('checks an accepted token once and answers from memory until it expires', async () => {
    const { inner, verifier } = setup();
    const token = `good-${expSeconds}`;
    for (let i = 0; i < 3; i++) expect((await verifier.verifyAccessToken(token)).ok).toBe(true);
    expect(inner.checks).toBe(1);
    clock.offset = 305_000; // past exp + tolerance
    expect(await verifier.verifyAccessToken(token)).toMatchObject({ ok: false, reason: 'expired' });
    expect(inner.checks).toBe(2);
  });

  it('never caches a refusal or a missing token', async () => {
    const { inner, verifier } = setup();
    await verifier.verifyAccessToken('forged');
    await verifier.verifyAccessToken('forged');
    await verifier.verifyAccessToken(undefined);
    expect(inner.checks).toBe(3);
  });

  it('keeps at most maxTokens, dropping the least recently used', async () => {
    const { inner, verifier } = setup();
    for (const token of ['a', 'b', 'c'].map((_, i) => `good-${expSeconds + i}`))
      await verifier.verifyAccessToken(token);
    expect(inner.checks).toBe(3);
    await verifier.verifyAccessToken(`good-${expSeconds}`); // evicted: checked again
    expect(inner.checks).toBe(4);
    await verifier.verifyAccessToken(`good-${expSeconds + 2}`); // still cached
    expect(inner.checks).toBe(4);
  });
});
