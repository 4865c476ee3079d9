import { z } from 'zod';
import { identifier, reasonBody } from '../../shared/http/identifier';
import {
  jsonResponse,
  problemResponse,
  type ApiDescription,
} from '../../shared/http/openapi/api-description';
import { instantSchema } from '../../shared/http/openapi/common-schemas';
import type { TransferStatus } from '../title-tables';

const transferStatuses = ['TRANSFERRED', 'REVERTED'] as const satisfies readonly TransferStatus[];

const title = z.strictObject({
  propertyId: z.string(),
  ownerId: z
    .string()
    .nullable()
    .meta({ description: 'null while the title is still with the seller who listed it.' }),
  heldBySeller: z.boolean(),
  transfers: z.array(
    z.strictObject({
      transactionId: z.string(),
      fromOwner: z.string().nullable(),
      toOwner: z.string().nullable(),
      status: z.enum(transferStatuses),
      updatedAt: instantSchema,
    }),
  ),
  liens: z.array(z.strictObject({ lienId: z.string(), reason: z.string(), placedAt: instantSchema })),
});
const lienParams = { propertyId: identifier, lienId: identifier };
const refused = problemResponse('The caller may not do this; `rule` names the access rule.');

/** The title service's REST API; the schemas are those title-routes validates with. */
export const titleApi: ApiDescription = {
  title: 'title',
  description: "Ownership records: a property's owner, its transfers, and the liens that block them.",
  operations: [
    {
      method: 'get',
      path: '/titles/:propertyId',
      operationId: 'getTitle',
      summary: 'The title of a property (registrar, ops, or its owner)',
      token: 'required',
      params: { propertyId: identifier },
      responses: {
        200: jsonResponse('The title.', title),
        400: problemResponse('Invalid property id.'),
        403: refused,
      },
    },
    {
      method: 'put',
      path: '/titles/:propertyId/liens/:lienId',
      operationId: 'placeLien',
      summary: 'Place (or change the reason of) a lien: transfers of the property are refused',
      token: 'required',
      roles: ['registrar'],
      params: lienParams,
      body: reasonBody,
      responses: {
        200: jsonResponse(
          'The lien.',
          z.strictObject({ propertyId: z.string(), lienId: z.string(), reason: z.string() }),
        ),
        400: problemResponse('Invalid ids or body.'),
        403: refused,
      },
    },
    {
      method: 'delete',
      path: '/titles/:propertyId/liens/:lienId',
      operationId: 'liftLien',
      summary: 'Lift a lien',
      token: 'required',
      roles: ['registrar'],
      params: lienParams,
      responses: {
        204: { description: 'Lifted.' },
        400: problemResponse('Invalid ids.'),
        403: refused,
        404: problemResponse('No such lien.'),
      },
    },
  ],
};
