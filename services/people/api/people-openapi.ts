import { z } from 'zod';
import {
  jsonResponse,
  problemResponse,
  type ApiDescription,
} from '../../shared/http/openapi/api-description';
import { commandHeaders } from '../../shared/http/openapi/common-schemas';
import { profileBody } from './request-schemas';
import { personAccepted, personRepresentation } from './response-schemas';

const params = {
  id: z.string().meta({ description: "The person id: their identity provider subject (the token's sub)." }),
};
const acceptedHeaders = {
  ETag: { description: 'The version now, quoted ("3").', required: true },
  Location: { description: 'The person.', required: true },
  'Idempotent-Replayed': commandHeaders.replayed,
};
const refused = problemResponse('The caller may not do this; `rule` names the access rule.');
const gone = problemResponse(
  'The person was erased (and has not registered again); told only to that person and ops, anyone else gets 404.',
);

/** The People service's REST API; the schemas are those people-routes validates with. */
export const peopleApi: ApiDescription = {
  title: 'people',
  description:
    "Profiles of the platform's identities, event-sourced, personal values encrypted with each person's own key; erasure destroys the key (crypto-shredding).",
  operations: [
    {
      method: 'put',
      path: '/people/me',
      operationId: 'writeMyProfile',
      summary: 'Register or update your own profile',
      description:
        'The whole profile; agency and licenceNumber only for agents. After an erasure the same identity registers again, with a new key.',
      token: 'required',
      headers: {
        'If-Match': {
          description: 'The ETag you last read: the write runs only on that version (else 412).',
        },
        'Idempotency-Key': commandHeaders.idempotencyKey,
      },
      body: profileBody,
      responses: {
        200: jsonResponse('Updated.', personAccepted, acceptedHeaders),
        201: jsonResponse('Registered.', personAccepted, acceptedHeaders),
        400: problemResponse('Invalid body; `errors` names every bad field.'),
        403: refused,
        409: problemResponse('The profile is being erased, or another write changed it meanwhile.'),
        412: problemResponse('If-Match names another version than the current one.'),
        422: problemResponse('The Idempotency-Key was used before with another body.'),
      },
    },
    {
      method: 'get',
      path: '/people/:id',
      operationId: 'getPerson',
      summary: "A person's profile, or an agent's public card",
      description:
        "The person and `ops` see the whole profile; anyone sees an agent's public card (name and agency); anyone else's profile is a 404.",
      token: 'optional',
      params,
      responses: {
        200: jsonResponse('The profile or the public card.', personRepresentation, {
          ETag: { description: 'The version shown, quoted.', required: true },
        }),
        404: problemResponse('No such person, or not an agent and not yours to see.'),
        410: gone,
      },
    },
    {
      method: 'delete',
      path: '/people/:id',
      operationId: 'erasePerson',
      summary: 'Erase a person (yourself, or anyone as ops)',
      description:
        'Destroys their data key (every copy of their personal values, in every event, outbox, topic and backup, becomes unreadable) and appends PersonErased; read models scrub what they show of them.',
      token: 'required',
      params,
      responses: {
        200: jsonResponse('Erased: the version of PersonErased.', personAccepted),
        403: refused,
        404: problemResponse('No such person.'),
        410: gone,
      },
    },
  ],
};
