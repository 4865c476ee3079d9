import { serviceCatalog } from '../../services/catalog';
import { documentProblems, operationFor } from '../support/openapi-contract';
import { listPropertyBody } from '../../services/property/api/request-schemas';
import { buildOpenApiDocument, jsonSchemaOf } from '../../services/shared/http/openapi/openapi-document';

const documents = Object.values(serviceCatalog).map((service) => ({
  name: service.name,
  document: buildOpenApiDocument(service.api, '0.1.0'),
}));

describe.each(documents)('the OpenAPI document of $name', ({ document }) => {
  it('is OpenAPI 3.1 whose every schema compiles as JSON Schema 2020-12', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(documentProblems(document)).toEqual([]);
  });

  it('documents health, metrics and its own docs, open to anyone', () => {
    for (const path of ['/health', '/health/live', '/health/ready', '/metrics', '/openapi.json', '/docs']) {
      expect(document.paths[path]?.get?.security).toEqual([]);
    }
  });

  it('answers every error of its own routes with the shared problem; a 401 challenges, a 503 says when to retry', () => {
    const ownOperations = Object.values(document.paths)
      .flatMap((item) => Object.values(item))
      .filter((operation) => !['readiness', 'health'].includes(operation.operationId));
    for (const operation of ownOperations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        expect(response.content).toEqual({
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        });
      }
      const token = operation.security.some((requirement) => 'bearerAuth' in requirement);
      if (token) expect(operation.responses['401']?.headers?.['WWW-Authenticate']?.required).toBe(true);
      const unavailable = operation.responses['503'];
      if (unavailable) expect(unavailable.headers?.['Retry-After']?.required).toBe(true);
    }
  });
});

describe('the property document', () => {
  const document = buildOpenApiDocument(serviceCatalog.property.api, '0.1.0');

  it('takes request schemas from the zod schemas the routes validate with', () => {
    const listProperty = document.paths['/properties']?.post;
    expect(listProperty?.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: jsonSchemaOf(listPropertyBody, 'input') } },
    });
    const getProperty = document.paths['/properties/{id}']?.get;
    expect(getProperty?.parameters.map((p) => `${p.in} ${p.name}${p.required ? ' (required)' : ''}`)).toEqual(
      ['path id (required)', 'query asOf', 'query version'],
    );
  });

  it('names the bearer scheme and the roles where a token is needed, and leaves reads open', () => {
    expect(document.paths['/properties']?.post?.security).toEqual([{ bearerAuth: ['seller', 'agent'] }]);
    expect(document.paths['/properties/{id}/price']?.post?.security).toEqual([{ bearerAuth: [] }]);
    expect(document.paths['/properties/{id}']?.get?.security).toEqual([{}, { bearerAuth: [] }]);
    expect(Object.keys(document.paths['/properties/{id}/price']?.post?.responses ?? {})).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '412',
      '413',
      '415',
      '422',
      '431',
      '503',
    ]);
    // What the middleware in front of every route answers is documented on a read without a body too.
    expect(Object.keys(document.paths['/properties/{id}']?.get?.responses ?? {})).toEqual(
      expect.arrayContaining(['400', '413', '415', '431']),
    );
  });
});

describe('documentProblems', () => {
  const valid = () => buildOpenApiDocument(serviceCatalog.title.api, '0.1.0');

  it('names a wrong version, an undeclared path parameter and a schema that does not compile', () => {
    const document = valid();
    document.openapi = '3.0.3';
    const getTitle = document.paths['/titles/{propertyId}']?.get;
    if (!getTitle) throw new Error('the title document lost GET /titles/{propertyId}');
    getTitle.parameters = getTitle.parameters.filter((p) => p.in !== 'path');
    getTitle.responses['200'] = {
      description: 'broken',
      content: { 'application/json': { schema: { type: 'thing' } } },
    };
    const problems = documentProblems(document);
    expect(problems).toEqual(
      expect.arrayContaining([
        'openapi is "3.0.3", not 3.1.x',
        'GET /titles/{propertyId}: path parameter {propertyId} is not declared (required)',
        expect.stringMatching(
          /^GET \/titles\/\{propertyId\} 200 application\/json: the schema does not compile/,
        ),
      ]),
    );
  });

  it('names an operation without responses', () => {
    const document = valid();
    const liftLien = document.paths['/titles/{propertyId}/liens/{lienId}']?.delete;
    if (!liftLien) throw new Error('the title document lost DELETE /titles/{propertyId}/liens/{lienId}');
    liftLien.responses = {};
    expect(documentProblems(document)).toContain('DELETE /titles/{propertyId}/liens/{lienId}: no responses');
  });
});

describe('operationFor', () => {
  const property = buildOpenApiDocument(serviceCatalog.property.api, '0.1.0');

  it('matches a path to its template, literal segments before parameters', () => {
    expect(operationFor(property, 'POST', '/properties/abc/offers/def/accept')?.operation.operationId).toBe(
      'acceptOffer',
    );
    expect(operationFor(property, 'GET', '/properties/abc/events')?.operation.operationId).toBe(
      'getPropertyEvents',
    );
    expect(operationFor(property, 'GET', '/health/ready')?.operation.operationId).toBe('readiness');
  });

  it('matches nothing for an undocumented method or path', () => {
    expect(operationFor(property, 'DELETE', '/properties/abc')).toBeUndefined();
    expect(operationFor(property, 'GET', '/properties/abc/nope')).toBeUndefined();
  });
});
