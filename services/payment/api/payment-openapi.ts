import { z } from 'zod';
import {
  jsonResponse,
  problemResponse,
  type ApiDescription,
} from '../../shared/http/openapi/api-description';
import { commandHeaders, instantSchema, moneyJsonSchema } from '../../shared/http/openapi/common-schemas';
import type { ReservationStatus } from '../domain/account';
import { buyerIdParam, depositBody, openAccountBody } from './request-schemas';

const reservationStatuses = [
  'RESERVED',
  'RELEASED',
  'CAPTURED',
] as const satisfies readonly ReservationStatus[];

/** A buyer's account (see accountJson). */
export const account = z.strictObject({
  buyerId: z.string(),
  balance: moneyJsonSchema,
  reserved: moneyJsonSchema,
  available: moneyJsonSchema,
  reservations: z.array(
    z.strictObject({
      transactionId: z.string(),
      amount: moneyJsonSchema,
      status: z.enum(reservationStatuses),
      updatedAt: instantSchema,
    }),
  ),
});
const deposit = z.strictObject({ depositId: z.uuid(), buyerId: z.string(), amount: moneyJsonSchema });
const location = { Location: { description: 'The account.', required: true } };
const refused = problemResponse('The caller may not do this; `rule` names the access rule.');

/** The payment service's REST API; the schemas are those account-routes validates with. */
export const paymentApi: ApiDescription = {
  title: 'payment',
  description:
    "Buyers' accounts: a buyer opens their own (empty) and reads it; operators open accounts with a balance, read any and deposit.",
  operations: [
    {
      method: 'post',
      path: '/accounts',
      operationId: 'openAccount',
      summary: 'Open an account (a buyer their own, empty; ops for anyone, with a balance)',
      token: 'required',
      roles: ['buyer', 'ops'],
      body: openAccountBody,
      responses: {
        201: jsonResponse('Opened.', account, location),
        400: problemResponse('Invalid body.'),
        403: refused,
        409: problemResponse('The buyer has an account already.'),
      },
    },
    {
      method: 'get',
      path: '/accounts/:buyerId',
      operationId: 'getAccount',
      summary: 'An account (its buyer, or ops)',
      token: 'required',
      params: { buyerId: buyerIdParam },
      responses: {
        200: jsonResponse('The balance, what is reserved, and the open reservations.', account),
        400: problemResponse('Invalid buyer id.'),
        403: refused,
        404: problemResponse('The buyer has no account.'),
      },
    },
    {
      method: 'post',
      path: '/accounts/:buyerId/deposits',
      operationId: 'deposit',
      summary: "Deposit into a buyer's account (ops: the stand-in for a payment provider)",
      token: 'required',
      roles: ['ops'],
      params: { buyerId: buyerIdParam },
      headers: { 'Idempotency-Key': commandHeaders.idempotencyKey },
      body: depositBody,
      responses: {
        201: jsonResponse('Deposited.', deposit, {
          ...location,
          'Idempotent-Replayed': commandHeaders.replayed,
        }),
        400: problemResponse('Invalid body or header.'),
        403: refused,
        404: problemResponse('The buyer has no account.'),
        409: problemResponse(
          "The amount is not in the account's currency, or the balance would exceed the largest amount (`balance-within-maximum`).",
        ),
        422: problemResponse('The Idempotency-Key was used before with another body.'),
      },
    },
  ],
};
