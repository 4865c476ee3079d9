import { z } from 'zod';
import { identifier } from '../../shared/http/identifier';
import {
  jsonResponse,
  problemResponse,
  retryAfterHeader,
  type ApiDescription,
} from '../../shared/http/openapi/api-description';
import { commandHeaders, instantSchema, moneyJsonSchema } from '../../shared/http/openapi/common-schemas';
import { consistencyHeaders } from '../../shared/http/openapi/read-model-operations';
import type { Phase, SagaStatus } from '../domain/purchase-saga';
import { purchasesQuery, startBody } from './request-schemas';

const sagaStatuses = [
  'RUNNING',
  'COMPENSATING',
  'COMPLETED',
  'COMPENSATED',
  'FAILED',
] as const satisfies readonly SagaStatus[];
const phases = ['forward', 'compensation'] as const satisfies readonly Phase[];

/** A purchase as the API shows it (see sagaJson). */
export const purchase = z.strictObject({
  transactionId: z.string(),
  correlationId: z.string(),
  propertyId: z.string(),
  offerId: z.string(),
  buyerId: z.string(),
  price: moneyJsonSchema,
  status: z.enum(sagaStatuses),
  currentStep: z.string().nullable(),
  phase: z.enum(phases).nullable(),
  deadlineAt: instantSchema.nullable(),
  completedSteps: z.array(z.string()),
  pendingCompensations: z.array(z.string()),
  cause: z.string().nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});
const purchaseWithHistory = purchase.extend({
  history: z.array(
    z.strictObject({
      step: z.string(),
      phase: z.enum(phases),
      command: z.string(),
      messageId: z.string(),
      outcome: z.string().meta({ description: "SENT, TIMED_OUT or the participant's answer." }),
      detail: z.string().nullable(),
      at: instantSchema,
    }),
  ),
});

/** The transaction service's REST API; the schemas are those transaction-routes validates with. */
export const transactionApi: ApiDescription = {
  title: 'transaction',
  description: 'Purchases of accepted offers, run as a saga across property, payment, contract and title.',
  operations: [
    {
      method: 'post',
      path: '/transactions',
      operationId: 'startPurchase',
      summary: 'Start the purchase of an accepted offer (its buyer)',
      token: 'required',
      headers: { 'Idempotency-Key': commandHeaders.idempotencyKey, ...consistencyHeaders },
      body: startBody,
      responses: {
        202: jsonResponse('Started: follow it at Location.', purchase, {
          Location: { description: 'The purchase.', required: true },
          'Idempotent-Replayed': commandHeaders.replayed,
        }),
        400: problemResponse('Invalid body or header.'),
        403: problemResponse('Not the buyer of the offer; `rule` names the access rule.'),
        404: problemResponse('The offer is not known (yet).'),
        409: problemResponse('The offer is not accepted, or already has a live purchase.'),
        422: problemResponse(
          'The offer belongs to another property, or the Idempotency-Key was used with another body.',
        ),
        503: problemResponse(
          'The orchestrator has not seen the version the consistency token names in time; nothing was started.',
          { 'Retry-After': retryAfterHeader },
        ),
      },
    },
    {
      method: 'get',
      path: '/transactions/:id',
      operationId: 'getPurchase',
      summary: "A purchase, step by step (its buyer, the listing's owner, ops)",
      token: 'required',
      params: { id: identifier },
      responses: {
        200: jsonResponse('The purchase and its history.', purchaseWithHistory),
        400: problemResponse('Invalid id.'),
        403: problemResponse('Not a party to the purchase.'),
        404: problemResponse('No such purchase.'),
      },
    },
    {
      method: 'get',
      path: '/transactions',
      operationId: 'listPurchases',
      summary: "The purchases of a property (all for its owner and ops, a buyer's own otherwise)",
      token: 'required',
      query: purchasesQuery,
      responses: {
        200: jsonResponse(
          'The latest 100, newest first.',
          z.strictObject({ transactions: z.array(purchase) }),
        ),
        400: problemResponse('Invalid query.'),
      },
    },
  ],
};
