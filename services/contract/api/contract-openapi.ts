import { z } from 'zod';
import { identifier, reasonBody } from '../../shared/http/identifier';
import {
  jsonResponse,
  problemResponse,
  type ApiDescription,
} from '../../shared/http/openapi/api-description';
import { instantSchema, moneyJsonSchema } from '../../shared/http/openapi/common-schemas';
import type { ContractStatus } from '../contract-tables';
import { contractsQuery } from './request-schemas';

const contractStatuses = ['SIGNED', 'VOIDED'] as const satisfies readonly ContractStatus[];

/** A sale contract (see contractJson). */
export const contract = z.strictObject({
  transactionId: z.string(),
  // Null when the void arrived before the contract (a tombstone: its terms never arrived).
  propertyId: z.string().nullable(),
  buyerId: z.string().nullable(),
  price: moneyJsonSchema.nullable(),
  status: z.enum(contractStatuses),
  signedAt: instantSchema.nullable(),
  voidedAt: instantSchema.nullable(),
  voidReason: z.string().nullable(),
});
const refused = problemResponse('The caller may not do this; `rule` names the access rule.');

/** The contract service's REST API; the schemas are those contract-routes validates with. */
export const contractApi: ApiDescription = {
  title: 'contract',
  description: "Sale contracts by purchase or property, and the compliance desk's holds on parties.",
  operations: [
    {
      method: 'get',
      path: '/contracts/:transactionId',
      operationId: 'getContract',
      summary: 'The contract of a purchase (its buyer, compliance, ops)',
      token: 'required',
      params: { transactionId: identifier },
      responses: {
        200: jsonResponse('The contract.', contract),
        400: problemResponse('Invalid transaction id.'),
        403: refused,
        404: problemResponse('No contract for that purchase.'),
      },
    },
    {
      method: 'get',
      path: '/contracts',
      operationId: 'listContracts',
      summary: 'The contracts of a property',
      token: 'required',
      roles: ['compliance', 'ops'],
      query: contractsQuery,
      responses: {
        200: jsonResponse('The latest 100.', z.strictObject({ contracts: z.array(contract) })),
        400: problemResponse('Invalid query.'),
        403: refused,
      },
    },
    {
      method: 'put',
      path: '/compliance-holds/:partyId',
      operationId: 'placeComplianceHold',
      summary: 'Place (or change the reason of) a hold on a party: their purchases are refused',
      token: 'required',
      roles: ['compliance'],
      params: { partyId: identifier },
      body: reasonBody,
      responses: {
        200: jsonResponse('The hold.', z.strictObject({ partyId: z.string(), reason: z.string() })),
        400: problemResponse('Invalid party id or body.'),
        403: refused,
      },
    },
    {
      method: 'delete',
      path: '/compliance-holds/:partyId',
      operationId: 'liftComplianceHold',
      summary: 'Lift the hold on a party',
      token: 'required',
      roles: ['compliance'],
      params: { partyId: identifier },
      responses: {
        204: { description: 'Lifted.' },
        400: problemResponse('Invalid party id.'),
        403: refused,
        404: problemResponse('No hold on that party.'),
      },
    },
  ],
};
