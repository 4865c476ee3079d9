import http from 'node:http';
import { listing } from '../../test/support/property-harness';

/**
 * The property commands the benchmarks send, as a real client would: a listing with its
 * details, a new price, an offer, over keep-alive HTTP with a bearer token.
 */
export type Kind = 'list' | 'price' | 'offer';
export const kinds: readonly Kind[] = ['list', 'price', 'offer'];
export type Mix = Record<Kind, number>;

/** bench:commands' and bench:system's default weights. */
export const defaultMix: Mix = { list: 10, price: 45, offer: 45 };

/** How one command ended. A conflict is a lost optimistic-concurrency race (409/412, 23505). */
export type Outcome =
  | { result: 'ok'; id?: string; version?: number }
  | { result: 'conflict' }
  | { result: 'error'; detail: string };

/** Runs one command of a kind; `target` is an existing stream for price and offer. */
export interface CommandPort {
  run(kind: Kind, target: string | undefined): Promise<Outcome>;
}

/** Stream ids the load has created so far; price changes and offers pick one at random. */
export class Targets {
  readonly ids: string[] = [];
  pick(): string | undefined {
    return this.ids.length === 0 ? undefined : this.ids[Math.floor(Math.random() * this.ids.length)];
  }
}

/** A kind drawn with the mix's weights; a price change or offer needs a target, else a listing. */
export function pickKind(mix: Mix, hasTargets: boolean): Kind {
  const total = mix.list + mix.price + mix.offer;
  let r = Math.random() * total;
  for (const kind of kinds) {
    r -= mix[kind];
    if (r < 0) return kind === 'list' || hasTargets ? kind : 'list';
  }
  return hasTargets ? 'offer' : 'list';
}

export interface HttpCommandsOptions {
  port: number;
  maxSockets: number;
  /** Bearer tokens: the seller lists and changes prices, the buyer offers. */
  tokens: () => { seller: string; buyer: string };
  /** The city of every listing (a benchmark keeps its listings apart by it). */
  city?: string;
  /** Read every answer for the command's resulting version (bench:system), not only errors and listings. */
  readVersions?: boolean;
}

/** A request body shaped like a real client's: listing details, a new price, an offer. */
export class HttpCommands implements CommandPort {
  private readonly agent: http.Agent;
  /** Every price change asks a price no property has had, so none is refused as unchanged. */
  private priceSeq = 0;

  constructor(private readonly options: HttpCommandsOptions) {
    // Idle sockets are closed before the server's keep-alive timeout (Node's default: 5 s), or a
    // request sent on a socket the server is closing at that moment fails with ECONNRESET.
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets, timeout: 4_000 });
  }

  async run(kind: Kind, target: string | undefined): Promise<Outcome> {
    const { seller, buyer } = this.options.tokens();
    switch (kind) {
      case 'list': {
        const n = Math.floor(Math.random() * 1000);
        const res = await this.post(
          '/properties',
          listing({
            address: {
              street: `Keizersgracht ${n}`,
              city: this.options.city ?? 'Amsterdam',
              postalCode: '1015 CJ',
              region: 'Noord-Holland',
              country: 'NL',
              lat: 52.3731,
              lon: 4.8837,
            },
            description: 'Bright canal-side apartment with a roof terrace, two bedrooms and a study.',
          }),
          seller,
          true,
        );
        return res.status === 201 ? accepted(res.body) : failed(res);
      }
      case 'price': {
        const amount = 300_000 + this.priceSeq++;
        const res = await this.post(
          `/properties/${target}/price`,
          { price: { amount, currency: 'EUR' } },
          seller,
        );
        return res.status === 200 ? accepted(res.body) : failed(res);
      }
      case 'offer': {
        // The offer's buyer is the token's subject.
        const res = await this.post(
          `/properties/${target}/offers`,
          { amount: { amount: 600_000 + Math.floor(Math.random() * 1000) * 100, currency: 'EUR' } },
          buyer,
        );
        return res.status === 201 ? accepted(res.body) : failed(res);
      }
    }
  }

  /** Withdraws a listing (a benchmark's cleanup): true when it is withdrawn now or was before. */
  async withdraw(id: string): Promise<boolean> {
    const res = await this.post(`/properties/${id}/withdraw`, {}, this.options.tokens().seller);
    return res.status === 200 || res.status === 409 || res.status === 422;
  }

  close(): void {
    this.agent.destroy();
  }

  /** POST with a keep-alive socket; the body is read when the caller needs it, and for errors. */
  private post(
    path: string,
    body: object,
    token: string,
    readBody = this.options.readVersions ?? false,
  ): Promise<{ status: number; body: string }> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.options.port,
          path,
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            authorization: `Bearer ${token}`,
          },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (!readBody && status < 300) {
            res.resume();
            res.on('end', () => resolve({ status, body: '' }));
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}

/** The id and version a command's answer names ({ id, version, consistencyToken }), when it was read. */
function accepted(body: string): Outcome {
  if (body === '') return { result: 'ok' };
  const parsed = JSON.parse(body) as { id?: unknown; version?: unknown };
  return {
    result: 'ok',
    ...(typeof parsed.id === 'string' ? { id: parsed.id } : {}),
    ...(typeof parsed.version === 'number' ? { version: parsed.version } : {}),
  };
}

function failed(res: { status: number; body: string }): Outcome {
  if (res.status === 409 || res.status === 412) return { result: 'conflict' };
  return { result: 'error', detail: `HTTP ${res.status} ${res.body.slice(0, 120)}` };
}
