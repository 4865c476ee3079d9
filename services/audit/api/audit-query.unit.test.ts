import { auditQuerySchema, encodeCursor } from './audit-query';

describe('the GET /audit query', () => {
  it('takes back a cursor it made', () => {
    const cursor = encodeCursor({ occurredAt: '2026-12-01T10:00:00.000Z', position: '42' });
    expect(auditQuerySchema.parse({ cursor }).cursor).toEqual({
      occurredAt: '2026-12-01T10:00:00.000Z',
      position: '42',
    });
  });

  it('refuses a cursor whose position no bigint holds, and one it did not make', () => {
    const beyond = encodeCursor({ occurredAt: '2026-12-01T10:00:00.000Z', position: '9223372036854775808' });
    expect(auditQuerySchema.safeParse({ cursor: beyond }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ cursor: 'bm90LWEtY3Vyc29y' }).success).toBe(false);
  });

  it('refuses a range that ends before it starts, and two different conversations', () => {
    expect(auditQuerySchema.safeParse({ from: '2026-12-02', to: '2026-12-01' }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ purchase: 'tx-1', correlationId: 'tx-2' }).success).toBe(false);
    expect(auditQuerySchema.parse({ purchase: 'tx-1', correlationId: 'tx-1', limit: '5' })).toMatchObject({
      limit: 5,
    });
  });
});
