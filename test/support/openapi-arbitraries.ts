import fc from 'fast-check';
import type {
  JsonSchema,
  OpenApiDocument,
  OpenApiOperation,
  OpenApiParameter,
} from '../../services/shared/http/openapi/openapi-document';
import { inlineComponents, SchemaCompiler } from './openapi-contract';

/**
 * fast-check arbitraries of HTTP requests for the operations of an OpenAPI 3.1 document:
 * values its schemas accept, values they refuse, and values that have broken parsers,
 * databases and search engines before (nesting thousands deep, numbers past int4 or
 * float64, U+0000, lone surrogates, 100 kB strings, malformed JSON, wrong content types).
 * Whether a generated value is refused or accepted does not matter to a fuzz test: any
 * answer the document describes will do, and generators stay simple for it.
 */

// ---------------------------------------------------------------------------------------------
// JSON as the fuzzer writes it
// ---------------------------------------------------------------------------------------------

/** JSON text sent as written: what JSON.stringify cannot produce (-0, 1e400, nesting 100,000 deep). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type FuzzJson = null | boolean | number | string | RawJson | FuzzJson[] | { [key: string]: FuzzJson };

function isJsonObject(value: FuzzJson): value is { [key: string]: FuzzJson } {
  return typeof value === 'object' && value !== null && !(value instanceof RawJson) && !Array.isArray(value);
}

/** The JSON text of `value` (raw parts verbatim; lone surrogates escaped, as JSON.stringify does). */
export function jsonText(value: FuzzJson): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (isJsonObject(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `value` parsed back, for the few generators that take a value apart (undefined for non-JSON). */
function parsedJson(text: string): FuzzJson | undefined {
  try {
    return JSON.parse(text) as FuzzJson;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------

/** A body or field 100 kB long: far past every maxLength, well under the 1 MB body limit. */
export const OVERSIZED_TEXT_LENGTH = 100 * 1024;
/**
 * Text in a URL or header: far past every maxLength, yet (with the rest of the request head
 * kept under HEAD_BUDGET) under the HTTP server's 16 KB limit on a request head, so that it
 * reaches the service's validation. A longer head is a property of its own.
 */
export const OVERSIZED_HEAD_TEXT_LENGTH = 4 * 1024;
/** The most URL and header text a request carries: 16 KB, less room for a bearer token and the usual headers. */
const HEAD_BUDGET = 12 * 1024;

/** Text that has broken services before: numbers they misread, text Postgres cannot store, markup. */
const TRICKY_TEXT = [
  '',
  ' ',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e308',
  '1e400',
  '3000000000',
  '-3000000000',
  '9007199254740993',
  '99999999999999999999999999',
  '0x1A',
  '1_000',
  '\u0661\u0662\u0663',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'a\ud800b',
  '\udc00\ud800',
  '\u202e',
  '\ufeff',
  'e\u0301',
  '\u{1F600}',
  '..',
  '../..',
  '%',
  '%00',
  '\\',
  "'",
  '"',
  '<script>',
  "' OR '1'='1",
  '${0}',
  '*',
  '\t',
  '\n',
  '\r\n',
  '__proto__',
] as const;

/**
 * Hostile text; its longest values are `oversized` characters long even percent-encoded (an
 * "é" is 6 characters in a URL, an emoji 12), so that they fit where a URL must.
 */
export function hostileText(oversized: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...TRICKY_TEXT) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'x'.repeat(oversized),
        '\u00e9'.repeat(Math.floor(oversized / 6)),
        '\u{1F600}'.repeat(Math.floor(oversized / 12)),
      ),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    {
      weight: 2,
      arbitrary: fc.string({
        unit: fc.constantFrom('a', ' ', '\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '%', '\u{1F600}'),
        maxLength: 12,
      }),
    },
  );
}

/** Numbers past int4, float64 and safe-integer limits, and numbers written as text. */
const hostileNumbers = fc.constantFrom<FuzzJson>(
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  3_000_000_000,
  -3_000_000_000,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  Number.MIN_VALUE,
  new RawJson('-0'),
  new RawJson('1e400'),
  new RawJson('-1e400'),
  new RawJson('1e-400'),
  new RawJson('123456789012345678901234567890'),
  new RawJson('1.0'),
  'NaN',
  'Infinity',
  '-Infinity',
  '1e308',
  '3000000000',
  '-0',
);

/** JSON nested `depth` levels deep, as arrays or as objects. */
function nested(depth: number, asObjects: boolean): RawJson {
  return asObjects
    ? new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)
    : new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`);
}

const deepNesting = fc
  .tuple(fc.constantFrom(2_000, 33, 10_000, 100_000), fc.boolean())
  .map(([depth, asObjects]) => nested(depth, asObjects));

/** Any JSON at all, a few levels deep: what a schema without a type accepts. */
const anyJson: fc.Arbitrary<FuzzJson> = fc.letrec<{ json: FuzzJson }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 12 }),
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('json'), { maxKeys: 3 }),
  ),
})).json;

/** Values of the wrong JSON type for about any field. */
const wrongTypes = fc.constantFrom<FuzzJson>(null, true, 0, '', [], {}, [1, 'a'], { a: 1 });

/** Keys that mean something to JavaScript objects. */
const prototypeKeys = fc.constantFrom<FuzzJson>(
  new RawJson('{"__proto__":{"isAdmin":true}}'),
  new RawJson('{"constructor":{"prototype":{"isAdmin":true}}}'),
  new RawJson('{"a":1,"a":2}'),
);

const bigContainers = fc.constantFrom<FuzzJson>(
  new RawJson(`[${Array.from({ length: 10_000 }, () => '0').join(',')}]`),
  new RawJson(`{${Array.from({ length: 5_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`),
);

/** Any hostile JSON value: what every field of every body must survive. */
export const hostileJson: fc.Arbitrary<FuzzJson> = fc.oneof(
  { weight: 3, arbitrary: hostileText(OVERSIZED_TEXT_LENGTH) },
  { weight: 3, arbitrary: hostileNumbers },
  { weight: 2, arbitrary: wrongTypes },
  { weight: 2, arbitrary: deepNesting },
  { weight: 1, arbitrary: prototypeKeys },
  { weight: 1, arbitrary: bigContainers },
);

/** Percent-encodings no UTF-8 decoder accepts, and encodings that mean "/" or "..". */
const malformedEncodings = fc.constantFrom(
  '%',
  '%zz',
  '%C0%AF',
  '%FF',
  '%E0%80',
  '%ED%A0%80',
  '%2F',
  '%2e%2e',
  '%252F',
);

/**
 * `text` percent-encoded for a URL. encodeURIComponent refuses lone surrogates: they are
 * written as the bytes WTF-8 gives them (U+D800 as %ED%A0%80), which no UTF-8 decoder accepts.
 */
export function percentEncoded(text: string): string {
  let encoded = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    encoded +=
      code >= 0xd800 && code <= 0xdfff
        ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
            .map((byte) => `%${byte.toString(16).toUpperCase()}`)
            .join('')
        : encodeURIComponent(character);
  }
  return encoded;
}

/** Whether fetch can send `value` as a header value (bytes 0x20–0xFF and tab; no NUL, CR or LF). */
export function isSendableHeaderValue(value: string): boolean {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(value);
}

// ---------------------------------------------------------------------------------------------
// Values from schemas
// ---------------------------------------------------------------------------------------------

function stringKeyword(schema: JsonSchema, key: string): string | undefined {
  const value = schema[key];
  return typeof value === 'string' ? value : undefined;
}

function numberKeyword(schema: JsonSchema, key: string): number | undefined {
  const value = schema[key];
  return typeof value === 'number' ? value : undefined;
}

function schemaList(schema: JsonSchema, key: string): JsonSchema[] | undefined {
  const value = schema[key];
  return Array.isArray(value) ? value.filter(isSchema) : undefined;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typesOf(schema: JsonSchema): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  const properties = schema.properties;
  if (!isSchema(properties)) return {};
  return Object.fromEntries(
    Object.entries(properties).filter((entry): entry is [string, JsonSchema] => isSchema(entry[1])),
  );
}

function requiredOf(schema: JsonSchema): string[] {
  const required = schema.required;
  return Array.isArray(required) ? required.filter((key): key is string => typeof key === 'string') : [];
}

/** Safe-integer bounds: fast-check's integers (and JSON's exact ones) stop there. */
const SAFE = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

/** Strings that look like opaque tokens an API hands out: base64url of a JSON object or array. */
function decodedToken(value: string): FuzzJson | undefined {
  if (!/^[A-Za-z0-9_-]{8,}={0,2}$/.test(value)) return undefined;
  const decoded = parsedJson(Buffer.from(value, 'base64url').toString('utf8'));
  return decoded !== undefined && typeof decoded === 'object' && decoded !== null ? decoded : undefined;
}

/** A token an answer handed out, and the name of the field it came in ("nextCursor"). */
export interface IssuedToken {
  field: string;
  token: string;
}

/** Every token in an answer `body`: what a client is handed to send back. */
export function tokensIn(body: unknown, field = ''): IssuedToken[] {
  if (typeof body === 'string') return decodedToken(body) === undefined ? [] : [{ field, token: body }];
  if (Array.isArray(body)) return body.flatMap((item) => tokensIn(item, field));
  if (typeof body === 'object' && body !== null) {
    return Object.entries(body).flatMap(([key, item]) => tokensIn(item, key));
  }
  return [];
}

/**
 * The parameters of `document` each token is for: the one whose name its field's name holds
 * (a `nextCursor` goes back as `cursor`).
 */
export function tokensByParameter(
  document: OpenApiDocument,
  issued: readonly IssuedToken[],
): Map<string, string[]> {
  const names = new Set(
    Object.values(document.paths).flatMap((item) =>
      Object.values(item).flatMap((operation) => operation.parameters.map((parameter) => parameter.name)),
    ),
  );
  const byParameter = new Map<string, string[]>();
  for (const { field, token } of issued) {
    for (const name of names) {
      if (field.toLowerCase().includes(name.toLowerCase()))
        byParameter.set(name, [...(byParameter.get(name) ?? []), token]);
    }
  }
  return byParameter;
}

function encodedToken(value: FuzzJson): string {
  return Buffer.from(jsonText(value), 'utf8').toString('base64url');
}

/** Every path to a leaf of `value` (keys and indexes). */
function leafPaths(value: FuzzJson, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((item, index) => leafPaths(item, [...prefix, index]));
  if (isJsonObject(value))
    return Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...prefix, key]));
  return [prefix];
}

function replacedAt(value: FuzzJson, path: Array<string | number>, replacement: FuzzJson): FuzzJson {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (Array.isArray(value) && typeof head === 'number') {
    return value.map((item, index) => (index === head ? replacedAt(item, rest, replacement) : item));
  }
  if (isJsonObject(value) && typeof head === 'string') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        key === head ? replacedAt(item, rest, replacement) : item,
      ]),
    );
  }
  return value;
}

/**
 * Generators of values for the schemas of one document. `knownValues` are, by the name of
 * the parameter or field that takes them, ids of things that exist, so that a request reaches
 * past "not found": tried mostly where their name is, sometimes anywhere a schema accepts
 * them. `issuedTokens` are, by parameter name, tokens the API handed out for that parameter
 * (page cursors): sent back as they are, or taken apart, one leaf replaced by a hostile
 * value, and put together again.
 */
export class SchemaArbitraries {
  private readonly compiler: SchemaCompiler;
  private readonly anyKnown: string[];

  constructor(
    private readonly document: OpenApiDocument,
    private readonly knownValues: ReadonlyMap<string, readonly string[]> = new Map(),
    private readonly issuedTokens: ReadonlyMap<string, readonly string[]> = new Map(),
  ) {
    this.compiler = new SchemaCompiler(document);
    this.anyKnown = [...new Set([...knownValues.values()].flat())];
  }

  /** Whether the API handed out tokens for `parameter`. */
  hasTokensFor(parameter: OpenApiParameter): boolean {
    return (this.issuedTokens.get(parameter.name) ?? []).length > 0;
  }

  /** Tokens issued for `parameter`: as issued, or (mostly) with one leaf, or all of them, replaced. */
  tokenText(parameter: OpenApiParameter): fc.Arbitrary<string[]> {
    const issued = this.issuedTokens.get(parameter.name) ?? [];
    const decoded = issued.flatMap((token) => decodedToken(token) ?? []);
    if (issued.length === 0 || decoded.length === 0) return this.validText(parameter);
    return fc
      .oneof(
        { weight: 1, arbitrary: fc.constantFrom(...issued) },
        { weight: 6, arbitrary: mutatedTokens(decoded) },
      )
      .map((token) => [token]);
  }

  /** Whether the document's `schema` accepts `value` (compiled once per schema object). */
  accepts(schema: JsonSchema, value: unknown): boolean {
    return this.compiler.compile(schema)(value);
  }

  private resolved(schema: JsonSchema): JsonSchema {
    if (typeof schema.$ref !== 'string') return schema;
    const inlined = inlineComponents(schema, this.document);
    return isSchema(inlined) ? inlined : schema;
  }

  /**
   * Values `schema` accepts (a best effort: strings are checked against the schema itself);
   * `name` is the parameter's or field's, which known values go by.
   */
  valid(given: JsonSchema, name = ''): fc.Arbitrary<FuzzJson> {
    const schema = this.resolved(given);
    // An enum of a JSON document lists JSON values.
    if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as FuzzJson[]));
    const alternatives = schemaList(schema, 'anyOf') ?? schemaList(schema, 'oneOf');
    if (alternatives) return fc.oneof(...alternatives.map((alternative) => this.valid(alternative, name)));
    const types = typesOf(schema);
    if (types.length > 1) return fc.oneof(...types.map((type) => this.valid({ ...schema, type }, name)));
    switch (types[0]) {
      case 'string':
        return this.validString(schema, name);
      case 'integer':
        return fc.integer({
          min: Math.max(
            SAFE.min,
            numberKeyword(schema, 'minimum') ??
              (numberKeyword(schema, 'exclusiveMinimum') ?? SAFE.min - 1) + 1,
          ),
          max: Math.min(
            SAFE.max,
            numberKeyword(schema, 'maximum') ??
              (numberKeyword(schema, 'exclusiveMaximum') ?? SAFE.max + 1) - 1,
          ),
        });
      case 'number':
        return this.validNumber(schema);
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array': {
        const items = isSchema(schema.items) ? schema.items : {};
        return fc.array(this.valid(items, name), {
          minLength: numberKeyword(schema, 'minItems') ?? 0,
          maxLength: Math.min(numberKeyword(schema, 'maxItems') ?? 4, 4),
        });
      }
      case 'object':
        return this.validObject(schema);
      default:
        return anyJson;
    }
  }

  /**
   * Numbers in range: mostly as people write them (whole, or with cents), which rules JSON
   * Schema leaves unsaid (at most two decimals) accept, so that requests get past them; and
   * any double at all.
   */
  private validNumber(schema: JsonSchema): fc.Arbitrary<FuzzJson> {
    const exclusiveMinimum = numberKeyword(schema, 'exclusiveMinimum');
    const exclusiveMaximum = numberKeyword(schema, 'exclusiveMaximum');
    const min = exclusiveMinimum ?? numberKeyword(schema, 'minimum') ?? -Number.MAX_VALUE;
    const max = exclusiveMaximum ?? numberKeyword(schema, 'maximum') ?? Number.MAX_VALUE;
    const inRange = (value: number) =>
      (exclusiveMinimum === undefined ? value >= min : value > min) &&
      (exclusiveMaximum === undefined ? value <= max : value < max);
    const cents = fc
      .integer({
        min: Math.max(SAFE.min, Math.ceil(min * 100)),
        max: Math.min(SAFE.max, Math.floor(max * 100)),
      })
      .map((amount) => amount / 100);
    const double = fc.double({
      noNaN: true,
      noDefaultInfinity: true,
      min,
      minExcluded: exclusiveMinimum !== undefined,
      max,
      maxExcluded: exclusiveMaximum !== undefined,
    });
    return fc
      .oneof(
        { weight: 2, arbitrary: cents.map(Math.trunc) },
        { weight: 1, arbitrary: cents },
        { weight: 1, arbitrary: double },
      )
      .filter(inRange);
  }

  private validString(schema: JsonSchema, name: string): fc.Arbitrary<FuzzJson> {
    const pattern = stringKeyword(schema, 'pattern');
    const format = stringKeyword(schema, 'format');
    const minLength = numberKeyword(schema, 'minLength') ?? 0;
    const maxLength = numberKeyword(schema, 'maxLength');
    const generated: Array<fc.Arbitrary<string>> = [
      pattern
        ? fc.stringMatching(new RegExp(pattern), maxLength === undefined ? {} : { maxLength })
        : fc.string({
            unit: fc.oneof(
              { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 1 }) },
              fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
            ),
            minLength,
            maxLength: Math.min(maxLength ?? 40, 40),
          }),
    ];
    if (format === 'date-time') {
      generated.push(
        fc
          .date({ noInvalidDate: true, min: new Date('0001-01-01'), max: new Date('9999-12-31') })
          .map((d) => d.toISOString()),
      );
    }
    // An id the description calls a UUID is worth trying as one: anything else stops at "not found".
    if (format === 'uuid' || /uuid/i.test(stringKeyword(schema, 'description') ?? ''))
      generated.push(fc.uuid());
    const acceptable = (values: readonly string[]) => values.filter((value) => this.accepts(schema, value));
    const named = acceptable(this.knownValues.get(name) ?? []);
    const anywhere = acceptable(this.anyKnown);
    // Ids of things that exist lead past "not found": where their name is, they weigh most.
    const candidates = [
      { weight: 2, arbitrary: fc.oneof(...generated) },
      ...(named.length > 0 ? [{ weight: 4, arbitrary: fc.constantFrom(...named) }] : []),
      ...(anywhere.length > 0 ? [{ weight: 1, arbitrary: fc.constantFrom(...anywhere) }] : []),
    ];
    return fc.oneof(...candidates).filter((value) => this.accepts(schema, value));
  }

  private validObject(schema: JsonSchema): fc.Arbitrary<FuzzJson> {
    const properties = propertiesOf(schema);
    const required = requiredOf(schema).filter((key) => key in properties);
    if (Object.keys(properties).length === 0) {
      return schema.additionalProperties === false
        ? fc.constant({})
        : fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 });
    }
    const fields: Record<string, fc.Arbitrary<FuzzJson>> = Object.fromEntries(
      Object.entries(properties).map(([key, property]) => [key, this.valid(property, key)]),
    );
    // An optional field left out is absent, never undefined (which JSON cannot say).
    return fc
      .record(fields, { requiredKeys: required })
      .map((object) =>
        Object.fromEntries(
          Object.entries(object).filter((entry): entry is [string, FuzzJson] => entry[1] !== undefined),
        ),
      );
  }

  /**
   * Values a body field (or a whole body) of `schema` must survive: what the schema's own
   * constraints refuse, a wrong type, or any hostile value.
   */
  invalid(given: JsonSchema): fc.Arbitrary<FuzzJson> {
    const schema = this.resolved(given);
    return fc.oneof(
      { weight: 4, arbitrary: this.violations(schema) },
      { weight: 1, arbitrary: wrongTypes },
      { weight: 3, arbitrary: hostileJson },
    );
  }

  /** A valid object of `schema` with exactly one field (at any depth) invalid, missing or extra. */
  withOneFieldInvalid(given: JsonSchema): fc.Arbitrary<FuzzJson> {
    const schema = this.resolved(given);
    const properties = Object.entries(propertiesOf(schema));
    if (properties.length === 0) return this.invalid(schema);
    const valid = this.validObject(schema);
    const replaced = properties.map(([key, property]) => {
      const resolved = this.resolved(property);
      const broken =
        Object.keys(propertiesOf(resolved)).length > 0
          ? fc.oneof(this.invalid(resolved), this.withOneFieldInvalid(resolved))
          : this.invalid(resolved);
      return fc
        .tuple(valid, broken)
        .map(([object, value]) => (isJsonObject(object) ? withEntry(object, key, value) : object));
    });
    const missing = requiredOf(schema).map((key) =>
      valid.map((object) =>
        isJsonObject(object) ? Object.fromEntries(Object.entries(object).filter(([k]) => k !== key)) : object,
      ),
    );
    const extra = fc
      .tuple(valid, fc.constantFrom('unexpected', '__proto__', 'constructor', ''), hostileJson)
      .map(([object, key, value]) => (isJsonObject(object) ? withEntry(object, key, value) : object));
    return fc.oneof(...replaced, ...missing, extra);
  }

  private violations(schema: JsonSchema): fc.Arbitrary<FuzzJson> {
    const types = typesOf(schema);
    if (Array.isArray(schema.enum)) {
      const first = String(schema.enum[0]);
      return fc.constantFrom<FuzzJson>(first.toUpperCase(), ` ${first}`, `${first},${first}`, 'unknown');
    }
    if (types.includes('string')) return this.stringViolations(schema);
    if (types.includes('integer') || types.includes('number')) {
      const bounds = ['minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum'].flatMap((key) => {
        const bound = numberKeyword(schema, key);
        return bound === undefined ? [] : [bound, bound - 1, bound + 1, bound + 0.5];
      });
      return bounds.length > 0 ? fc.oneof(fc.constantFrom(...bounds), hostileNumbers) : hostileNumbers;
    }
    if (types.includes('object') && Object.keys(propertiesOf(schema)).length > 0)
      return this.withOneFieldInvalid(schema);
    if (types.includes('array')) return fc.array(hostileJson, { maxLength: 3 });
    return wrongTypes;
  }

  private stringViolations(schema: JsonSchema): fc.Arbitrary<FuzzJson> {
    const minLength = numberKeyword(schema, 'minLength');
    const maxLength = numberKeyword(schema, 'maxLength');
    const format = stringKeyword(schema, 'format');
    const lengths = [
      ...(minLength !== undefined && minLength > 0 ? ['x'.repeat(minLength - 1)] : []),
      ...(maxLength !== undefined ? ['x'.repeat(maxLength + 1)] : []),
    ];
    const formats: Record<string, string[]> = {
      'date-time': [
        '2024-02-30T00:00:00Z',
        '2024-01-01',
        '2024-01-01T00:00:00',
        'yesterday',
        '+275760-09-13T00:00:00.000Z',
        '0000-01-01T00:00:00Z',
      ],
      uuid: ['not-a-uuid', '00000000-0000-0000-0000-00000000000g', '{00000000-0000-0000-0000-000000000000}'],
      email: ['a@b', '@example.org', 'a@@example.org', 'a@example.org\n'],
    };
    // Short strings the schema refuses; only where it refuses some (a filter would never end otherwise).
    const constrained =
      stringKeyword(schema, 'pattern') !== undefined || format !== undefined || (minLength ?? 0) > 0;
    const unacceptable = fc.string({ maxLength: 12 }).filter((value) => !this.accepts(schema, value));
    return fc.oneof(
      fc.constantFrom<FuzzJson>(...lengths, ...(format ? (formats[format] ?? []) : []), '\u0000'),
      ...(constrained ? [unacceptable] : []),
    );
  }

  /**
   * Valid text for a path, query or header parameter (not yet percent-encoded); several
   * texts are several occurrences of the parameter.
   */
  validText(parameter: OpenApiParameter): fc.Arbitrary<string[]> {
    const schema = this.resolved(parameter.schema);
    const asText = (value: FuzzJson): string[] =>
      Array.isArray(value)
        ? value.map((item) => (typeof item === 'string' ? item : jsonText(item)))
        : [typeof value === 'string' ? value : jsonText(value)];
    // Query text is numbers and booleans written out; the schema names a type for its parsed form.
    const text = this.valid(schema, parameter.name).map(asText);
    return parameter.in === 'header' ? text.filter((values) => values.every(isSendableHeaderValue)) : text;
  }

  /** Text a parameter must survive (not yet percent-encoded); several texts are several occurrences. */
  invalidText(parameter: OpenApiParameter): fc.Arbitrary<string[]> {
    const schema = this.resolved(parameter.schema);
    const oversized = OVERSIZED_HEAD_TEXT_LENGTH;
    const asText = (value: FuzzJson): string => (typeof value === 'string' ? value : jsonText(value));
    const single = fc.oneof(
      { weight: 3, arbitrary: this.violations(schema).map(asText) },
      { weight: 3, arbitrary: hostileText(oversized) },
    );
    const text = fc.oneof(
      { weight: 6, arbitrary: single.map((value) => [value]) },
      // A parameter given twice: express reads it as an array.
      {
        weight: 1,
        arbitrary: fc.tuple(this.validText(parameter), single).map(([valid, value]) => [...valid, value]),
      },
    );
    return parameter.in === 'header'
      ? text.map((values) => values.filter(isSendableHeaderValue).map((value) => value.slice(0, oversized)))
      : text.filter((values) => values.every((value) => percentEncoded(value).length <= oversized));
  }
}

/** Tokens with one leaf (or the whole content) replaced by a hostile value, encoded again. */
function mutatedTokens(tokens: FuzzJson[]): fc.Arbitrary<string> {
  return fc.oneof(
    ...tokens.map((token) =>
      fc.oneof(
        ...leafPaths(token).map((path) =>
          fc
            .oneof(hostileJson, fc.string({ maxLength: 12 }))
            .map((value) => encodedToken(replacedAt(token, path, value))),
        ),
        hostileJson.map(encodedToken),
      ),
    ),
  );
}

function withEntry(
  object: { [key: string]: FuzzJson },
  key: string,
  value: FuzzJson,
): { [key: string]: FuzzJson } {
  // fromEntries, not a literal: "__proto__" must become an own key, as JSON.parse makes it.
  return Object.fromEntries([...Object.entries(object).filter(([k]) => k !== key), [key, value]]);
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/** A bearer token that must be refused, made from a real one where it needs one. */
export type BrokenToken =
  'not a bearer token' | 'garbage bearer' | 'empty bearer' | 'tampered signature' | 'unsigned (alg none)';

/** Who sends a request: a local user (by name), nobody, or a token the service must refuse. */
export type Caller =
  { kind: 'user'; username: string } | { kind: 'anonymous' } | { kind: 'broken token'; token: BrokenToken };

export interface FuzzBody {
  bytes: Uint8Array;
  contentType?: string;
  contentEncoding?: string;
}

/** One generated request, its URL already encoded. */
export interface FuzzRequest {
  method: string;
  /** The path with its query string, percent-encoded: `/properties/abc?version=2`. */
  target: string;
  /** Request headers other than Authorization (the caller decides that one). */
  headers: Record<string, string>;
  caller: Caller;
  body?: FuzzBody;
}

/** Who an operation's security requirements let in: no token needed, a token optional, or the roles named. */
export function accessOf(operation: OpenApiOperation): {
  token: 'none' | 'optional' | 'required';
  roles: string[];
} {
  if (operation.security.length === 0) return { token: 'none', roles: [] };
  if (operation.security.some((requirement) => Object.keys(requirement).length === 0)) {
    return { token: 'optional', roles: [] };
  }
  return {
    token: 'required',
    roles: operation.security.flatMap((requirement) => Object.values(requirement).flat()),
  };
}

const brokenTokens = fc.constantFrom<BrokenToken>(
  'garbage bearer',
  'not a bearer token',
  'empty bearer',
  'tampered signature',
  'unsigned (alg none)',
);

/**
 * Callers of `operation`: mostly a user holding one of the roles its security requirement
 * names (any user when it names none), so that validation behind authentication is reached;
 * sometimes nobody, a user without the role, or a token to refuse. `users` maps each local
 * user to the realm roles in their token.
 */
export function callerArbitrary(
  operation: OpenApiOperation,
  users: ReadonlyMap<string, readonly string[]>,
): fc.Arbitrary<Caller> {
  const access = accessOf(operation);
  const usernames = [...users.keys()];
  const entitled = usernames.filter(
    (username) =>
      access.roles.length === 0 || access.roles.some((role) => users.get(username)?.includes(role)),
  );
  const others = usernames.filter((username) => !entitled.includes(username));
  const user = (names: string[]) =>
    fc.constantFrom(...names).map((username): Caller => ({ kind: 'user', username }));
  const anonymous = fc.constant<Caller>({ kind: 'anonymous' });
  const broken = brokenTokens.map((token): Caller => ({ kind: 'broken token', token }));
  if (entitled.length === 0)
    throw new Error(`no local user holds a role of ${operation.operationId}: ${access.roles.join(', ')}`);
  if (access.token === 'none') {
    return fc.oneof(
      { weight: 6, arbitrary: anonymous },
      { weight: 2, arbitrary: user(usernames) },
      { weight: 1, arbitrary: broken },
    );
  }
  return fc.oneof(
    { weight: 16, arbitrary: user(entitled) },
    { weight: 2, arbitrary: anonymous },
    ...(others.length > 0 ? [{ weight: 1, arbitrary: user(others) }] : []),
    { weight: 1, arbitrary: broken },
  );
}

/**
 * What a generated request varies: its parameters (with a valid body), its body (with valid
 * parameters), or the tokens the API issued for a parameter (the rest valid or left out).
 * Apart, so that a failure of one cannot hide a failure of another.
 */
export type FuzzFocus = 'parameters' | 'body' | 'tokens';

export interface RequestArbitraryOptions {
  callers: fc.Arbitrary<Caller>;
  focus: FuzzFocus;
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const asJsonBody = (value: FuzzJson): FuzzBody => ({
  bytes: utf8(jsonText(value)),
  contentType: 'application/json',
});

/** Content types and encodings a JSON body may come with, right and wrong. */
const contentTypes = fc.constantFrom<string | undefined>(
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset=',
  'application/JSON',
  'application/problem+json',
  'application/merge-patch+json',
  '*/*',
  ';;',
);
const contentEncodings = fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip');

/** JSON text no parser should accept, or that JSON.parse accepts but a strict body parser must not. */
function malformedJson(valid: fc.Arbitrary<FuzzJson>): fc.Arbitrary<FuzzBody> {
  const fromValid = fc
    .tuple(valid, fc.constantFrom('truncated', 'trailing garbage', 'trailing comma', 'BOM', 'single quotes'))
    .map(([value, how]): FuzzBody => {
      const text = jsonText(value);
      const broken = {
        truncated: text.slice(0, -1),
        'trailing garbage': `${text}x`,
        'trailing comma': `${text},`,
        BOM: `\ufeff${text}`,
        'single quotes': text.replace(/"/g, "'"),
      }[how];
      return { bytes: utf8(broken), contentType: 'application/json' };
    });
  const fixed = fc
    .constantFrom(
      '',
      '{',
      '[',
      '{"a":}',
      'nul',
      'NaN',
      '{"a":NaN}',
      '{"a":1,}',
      '"text"',
      '1',
      'true',
      'null',
      '{"a":"\u0000"}',
    )
    .map((text): FuzzBody => ({ bytes: utf8(text), contentType: 'application/json' }));
  // Bytes that are not UTF-8 at all: an encoded surrogate, and 0xFF.
  const notUtf8 = fc.constantFrom([0xed, 0xa0, 0x80], [0xff, 0xfe], [0xc0, 0xaf]).map((bytes): FuzzBody => ({
    bytes: new Uint8Array([...Buffer.from('{"a":"'), ...bytes, ...Buffer.from('"}')]),
    contentType: 'application/json',
  }));
  return fc.oneof(fromValid, fixed, notUtf8);
}

/** A body over the 1 MB limit. */
const oversizedBody = fc.constant<FuzzBody>({
  bytes: utf8(JSON.stringify({ reason: 'x'.repeat(1_100_000) })),
  contentType: 'application/json',
});

/** One parameter's occurrences as sent (encoded for a URL, as is for a header); null when left out. */
type ParameterTexts = string[] | null;

/**
 * Requests for the operation `method` `template` of `document`.
 *
 * Focus "parameters": all parameters (path, query, header) valid; or exactly one of them
 * invalid, hostile, wrongly encoded or missing, the others valid; or each one either way;
 * optional ones mostly left out, so that the one that varies decides the answer; now and
 * then unknown parameters come along. Focus "body": valid parameters, and a body that is
 * valid, has one field broken, is hostile as a whole, is not JSON, comes with the wrong
 * content type or encoding, is over the limit, or is missing. Focus "tokens": the tokens
 * issued for a parameter, as issued or taken apart, with the required parameters (valid) only.
 */
export function requestArbitrary(
  values: SchemaArbitraries,
  method: string,
  template: string,
  operation: OpenApiOperation,
  options: RequestArbitraryOptions,
): fc.Arbitrary<FuzzRequest> {
  const parameters = operation.parameters;
  const forUrl = (parameter: OpenApiParameter) => (texts: string[]) =>
    parameter.in === 'header' ? texts : texts.map(percentEncoded);
  const valid = (parameter: OpenApiParameter): fc.Arbitrary<ParameterTexts> => {
    const present = values.validText(parameter).map(forUrl(parameter));
    return parameter.required
      ? present
      : fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: present });
  };
  const invalid = (parameter: OpenApiParameter): fc.Arbitrary<ParameterTexts> =>
    fc.oneof(
      { weight: 8, arbitrary: values.invalidText(parameter).map(forUrl(parameter)) },
      ...(parameter.in === 'header'
        ? []
        : [{ weight: 1, arbitrary: malformedEncodings.map((text) => [text]) }]),
      ...(parameter.required ? [{ weight: 1, arbitrary: fc.constant(null) }] : []),
    );
  const allValid = fc.tuple(...parameters.map(valid));
  const texts: fc.Arbitrary<ParameterTexts[]> =
    options.focus === 'body'
      ? allValid
      : options.focus === 'tokens'
        ? // A token goes back with the parameters it was issued under: the required ones only.
          fc.tuple(
            ...parameters.map((parameter) =>
              values.hasTokensFor(parameter)
                ? values.tokenText(parameter).map(forUrl(parameter))
                : parameter.required
                  ? valid(parameter)
                  : fc.constant(null),
            ),
          )
        : parameters.length === 0
          ? allValid
          : fc.oneof(
              { weight: 1, arbitrary: allValid },
              {
                weight: 3,
                arbitrary: fc.oneof(
                  ...parameters.map((broken) =>
                    fc.tuple(
                      ...parameters.map((parameter) =>
                        parameter === broken ? invalid(parameter) : valid(parameter),
                      ),
                    ),
                  ),
                ),
              },
              {
                weight: 1,
                arbitrary: fc.tuple(
                  ...parameters.map((parameter) => fc.oneof(valid(parameter), invalid(parameter))),
                ),
              },
            );
  const unknownQuery =
    options.focus === 'parameters'
      ? fc.oneof(
          { weight: 5, arbitrary: fc.constant([]) },
          {
            weight: 1,
            arbitrary: fc.array(
              fc
                .tuple(fc.constantFrom('unexpected', '__proto__', 'constructor', 'a[b]', ''), hostileText(64))
                .map(([name, text]) => `${name}=${percentEncoded(text)}`),
              { minLength: 1, maxLength: 2 },
            ),
          },
        )
      : fc.constant([]);
  return fc
    .record({
      caller: options.callers,
      texts,
      unknownQuery,
      body: bodyArbitrary(values, method, operation, options.focus),
    })
    .map(({ caller, texts: chosen, unknownQuery: extra, body }) => {
      const of = (where: OpenApiParameter['in']) =>
        parameters.flatMap((parameter, index) =>
          parameter.in === where ? [{ parameter, texts: chosen[index] ?? null }] : [],
        );
      const pathTexts = of('path').map(({ texts: given }) => given?.[0] ?? '');
      let index = 0;
      const pathname = template.replace(/\{[^}]+\}/g, () => pathTexts[index++] ?? '');
      const queryString = [
        ...of('query').flatMap(({ parameter, texts: given }) =>
          (given ?? []).map((text) => `${encodeURIComponent(parameter.name)}=${text}`),
        ),
        ...extra,
      ].join('&');
      const headers = Object.fromEntries(
        of('header').flatMap(({ parameter, texts: given }) =>
          given?.[0] === undefined ? [] : [[parameter.name, given[0]]],
        ),
      );
      return printable({
        method: method.toUpperCase(),
        target: queryString ? `${pathname}?${queryString}` : pathname,
        headers,
        caller,
        ...(body ? { body } : {}),
      });
    })
    .filter(
      (request) => request.target.length + Object.values(request.headers).join('').length <= HEAD_BUDGET,
    );
}

function bodyArbitrary(
  values: SchemaArbitraries,
  method: string,
  operation: OpenApiOperation,
  focus: FuzzFocus,
): fc.Arbitrary<FuzzBody | undefined> {
  // fetch sends no body with a GET or HEAD.
  if (method === 'get' || method === 'head') return fc.constant(undefined);
  const schema = operation.requestBody?.content['application/json']?.schema;
  if (!schema) {
    // Bodies nobody asked for still go through the body parser and the checks after it.
    return focus !== 'body'
      ? fc.constant(undefined)
      : fc.oneof(
          { weight: 1, arbitrary: fc.constant(undefined) },
          { weight: 4, arbitrary: hostileJson.map(asJsonBody) },
          { weight: 1, arbitrary: malformedJson(fc.constant({})) },
          {
            weight: 1,
            arbitrary: contentTypes.map((contentType): FuzzBody => ({
              bytes: utf8('{}'),
              ...(contentType ? { contentType } : {}),
            })),
          },
          { weight: 1, arbitrary: oversizedBody },
        );
  }
  const valid = values.valid(schema);
  const validBody = valid.map(asJsonBody);
  const required = operation.requestBody?.required ?? false;
  if (focus !== 'body') return required ? validBody : fc.option(validBody, { nil: undefined, freq: 2 });
  return fc.oneof(
    { weight: 3, arbitrary: validBody },
    { weight: 8, arbitrary: values.withOneFieldInvalid(schema).map(asJsonBody) },
    { weight: 3, arbitrary: values.invalid(schema).map(asJsonBody) },
    { weight: 2, arbitrary: malformedJson(valid) },
    {
      weight: 2,
      arbitrary: fc.tuple(valid, contentTypes).map(([value, contentType]): FuzzBody => ({
        bytes: utf8(jsonText(value)),
        ...(contentType ? { contentType } : {}),
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, contentEncodings)
        .map(([value, contentEncoding]): FuzzBody => ({ ...asJsonBody(value), contentEncoding })),
    },
    { weight: 1, arbitrary: oversizedBody },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/**
 * `request`, printed by fast-check (in a counterexample) as describeRequest prints it: short,
 * where fast-check's own printing would write out every byte of a 1 MB body.
 */
export function printable(request: FuzzRequest): FuzzRequest {
  return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
}

/** At most `limit` characters of `text`, saying how long it was when cut. */
export function truncated(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length} characters in all)`;
}

/** A request as a failure report shows it: readable, short, without any token. */
export function describeRequest(request: FuzzRequest): string {
  const caller =
    request.caller.kind === 'user'
      ? `as ${request.caller.username}`
      : request.caller.kind === 'anonymous'
        ? 'without a token'
        : `with a broken token (${request.caller.token})`;
  const headers =
    Object.keys(request.headers).length > 0
      ? ` headers ${truncated(JSON.stringify(request.headers), 300)}`
      : '';
  const body = request.body
    ? ` content-type ${request.body.contentType ?? '(none)'}${request.body.contentEncoding ? ` content-encoding ${request.body.contentEncoding}` : ''} body ${truncated(JSON.stringify(Buffer.from(request.body.bytes).toString('utf8')), 300)}`
    : '';
  const query = new URLSearchParams(request.target.split('?')[1] ?? '');
  const tokens = [...query].flatMap(([name, value]) => {
    const token = decodedToken(value);
    return token === undefined ? [] : [`${name} decodes to ${truncated(jsonText(token), 200)}`];
  });
  const decoded = tokens.length > 0 ? ` (${tokens.join('; ')})` : '';
  return `${request.method} ${truncated(request.target, 300)}${decoded} ${caller}${headers}${body}`;
}
