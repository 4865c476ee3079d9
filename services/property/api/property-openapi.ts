import { z } from 'zod';
import { consistencyTokenParam } from '../../shared/http/read-model';
import {
  jsonResponse,
  problemResponse,
  retryAfterHeader,
  type ApiDescription,
  type ApiOperation,
  type ApiResponse,
} from '../../shared/http/openapi/api-description';
import { commandHeaders } from '../../shared/http/openapi/common-schemas';
import {
  changePriceBody,
  historyQuery,
  listPropertyBody,
  reasonBody,
  receiveOfferBody,
  relistBody,
  stateQuery,
  updateDetailsBody,
} from './request-schemas';
import { propertyRules } from './property-access';
import { commandAccepted, eventPage, feedReportJson, offerReceived, propertyState } from './response-schemas';

const params = {
  id: z
    .string()
    .meta({ description: 'The property id (a UUID the service generated); anything else is a 404.' }),
};
const offerParams = {
  ...params,
  offerId: z.string().meta({ description: 'The offer id (offerId of its 201).' }),
};
const acceptedHeaders = {
  ETag: { description: 'The version now, quoted ("3"): send it as If-Match next time.', required: true },
  Location: { description: 'The property.', required: true },
  'Idempotent-Replayed': commandHeaders.replayed,
};
const requestHeaders = {
  'If-Match': {
    description: 'The ETag you last read: the command runs only on that version (else 412).',
  },
  'Idempotency-Key': commandHeaders.idempotencyKey,
};
const invalid = problemResponse('Invalid body or header; `errors` names every bad field.');
const notFound = problemResponse('No such property (or offer).');
const conflict = problemResponse(
  'A business rule refused the command (`rule` names it), or another command changed the property meanwhile.',
);
const preconditionFailed = problemResponse('If-Match names another version than the current one.');
const keyReused = problemResponse('The Idempotency-Key was used before with another body.');
const refused = problemResponse('The caller may not do this; `rule` names the access rule.');
const noToken = problemResponse('No bearer token, or a refused one.', {
  'WWW-Authenticate': { description: 'The Bearer challenge (RFC 6750).', required: true },
});

/** A command on an existing property: POST /properties/:id/… with its common answers. */
function command(
  path: string,
  operationId: string,
  summary: string,
  body: z.ZodType,
  options: { created?: ApiResponse; offer?: boolean; bodyOptional?: boolean; description?: string } = {},
): ApiOperation {
  return {
    method: 'post',
    path,
    operationId,
    summary,
    ...(options.description ? { description: options.description } : {}),
    token: 'required',
    params: options.offer ? offerParams : params,
    headers: requestHeaders,
    body,
    ...(options.bodyOptional ? { bodyOptional: true } : {}),
    responses: {
      ...(options.created
        ? { 201: options.created }
        : { 200: jsonResponse('Done: the version it made.', commandAccepted, acceptedHeaders) }),
      400: invalid,
      403: refused,
      404: notFound,
      409: conflict,
      412: preconditionFailed,
      422: keyReused,
    },
  };
}

/** The property service's REST API; the schemas are those property-routes validates with. */
export const propertyApi: ApiDescription = {
  title: 'property',
  description:
    "Listings as event-sourced aggregates: list a property, change it, take offers, and read its state at any version or instant and its event history; for operators, the listing feeds' report.",
  operations: [
    {
      method: 'post',
      path: '/properties',
      operationId: 'listProperty',
      summary: 'List a property',
      token: 'required',
      roles: ['seller', 'agent'],
      headers: {
        'Idempotency-Key': commandHeaders.idempotencyKey,
        'X-Consistency-Token': {
          description:
            'For an agent who has just written their profile: the consistencyToken of PUT /people/me ("<personId>@<version>"). The listing waits until the property service knows that version of their card, so it carries it.',
          schema: consistencyTokenParam,
        },
      },
      body: listPropertyBody,
      responses: {
        201: jsonResponse(
          'Listed: its id, version 1 and a consistency token.',
          commandAccepted,
          acceptedHeaders,
        ),
        400: invalid,
        403: refused,
        422: keyReused,
        503: problemResponse(
          "The agent's card of the profile version in X-Consistency-Token has not arrived in time; nothing was written.",
          { 'Retry-After': retryAfterHeader },
        ),
      },
    },
    command(
      '/properties/:id/details',
      'updatePropertyDetails',
      'Change the details of a listing',
      updateDetailsBody,
    ),
    command('/properties/:id/price', 'changePrice', 'Change the asking price', changePriceBody),
    command('/properties/:id/offers', 'makeOffer', 'Make an offer (as a buyer)', receiveOfferBody, {
      created: jsonResponse('The offer is made: its offerId.', offerReceived, acceptedHeaders),
    }),
    command(
      '/properties/:id/offers/:offerId/accept',
      'acceptOffer',
      'Accept an offer (the owner)',
      reasonBody,
      {
        offer: true,
        bodyOptional: true,
      },
    ),
    command(
      '/properties/:id/offers/:offerId/reject',
      'rejectOffer',
      'Reject an offer (the owner)',
      reasonBody,
      {
        offer: true,
        bodyOptional: true,
      },
    ),
    command(
      '/properties/:id/offers/:offerId/withdraw',
      'withdrawOffer',
      'Withdraw an offer (its buyer)',
      reasonBody,
      { offer: true, bodyOptional: true },
    ),
    command('/properties/:id/withdraw', 'withdrawListing', 'Withdraw the listing (the owner)', reasonBody, {
      bodyOptional: true,
    }),
    command(
      '/properties/:id/relist',
      'relistProperty',
      'Relist a withdrawn property (the owner)',
      relistBody,
      {
        bodyOptional: true,
      },
    ),
    {
      method: 'get',
      path: '/properties/:id',
      operationId: 'getProperty',
      summary: 'The state of a property, now or as it was (time travel)',
      description:
        "Give `version` or `asOf`, not both. Buyers' ids show only to the owner and to each buyer.",
      token: 'optional',
      params,
      query: stateQuery,
      responses: {
        200: jsonResponse('The state.', propertyState, {
          ETag: { description: 'The version shown, quoted.', required: true },
        }),
        400: problemResponse('Invalid query.'),
        404: problemResponse('No such property, or not at that version or instant.'),
      },
    },
    {
      method: 'get',
      path: '/properties/:id/events',
      operationId: 'getPropertyEvents',
      summary: 'The event history of a property, a page at a time',
      description: "Who acted and which buyer show only to the listing's owner and to that person.",
      token: 'optional',
      params,
      query: historyQuery,
      responses: {
        200: jsonResponse('A page of events in version order.', eventPage),
        400: problemResponse('Invalid query.'),
        404: notFound,
      },
    },
    {
      method: 'get',
      path: '/ops/feeds',
      operationId: 'getListingFeedReport',
      summary: "Every listing feed's records: imported, updated, unchanged, rejected (by reason)",
      description:
        'The report of `npm run feeds -- report`, per source: every source with records, and every source of LISTING_FEED_SOURCES (with zeros before its first record).',
      token: 'required',
      roles: ['ops'],
      responses: {
        200: jsonResponse('The report, sources in name order.', feedReportJson),
        401: noToken,
        403: problemResponse(`The token lacks the ops role (rule \`${propertyRules.feedsOpsOnly}\`).`),
      },
    },
  ],
};
