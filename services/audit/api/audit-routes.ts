import { Router } from 'express';
import type { Kysely } from 'kysely';
import { requireRole } from '../../shared/http/caller';
import { parseOr400 } from '../../shared/http/validation';
import type { AuditTables } from '../audit-tables';
import { auditQuerySchema } from './audit-query';
import { readAuditTrail } from './audit-read';

/** Who may read the trail: the compliance desk, and operators investigating an incident. */
export const auditReaders = ['compliance', 'ops'] as const;

/** GET /audit: the trail of every service's events and saga messages, filtered and paged. */
export function auditRoutes(db: Kysely<AuditTables>): Router {
  return Router().get('/audit', async (req, res) => {
    requireRole(req, 'audit-compliance-or-ops', ...auditReaders);
    const query = parseOr400(auditQuerySchema, req.query, 'query');
    res.json(await readAuditTrail(db, query));
  });
}
