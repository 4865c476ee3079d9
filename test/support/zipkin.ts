import { zipkinUrl } from '../../stack/components/zipkin';
import { waitFor } from './wait-for';

/** A span as Zipkin's query API (v2 JSON) returns it. */
export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  timestamp?: number;
  duration?: number;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

/** Every span Zipkin holds of one trace; none while it knows nothing of the trace yet (404). */
export async function zipkinTrace(traceId: string): Promise<ZipkinSpan[]> {
  const response = await fetch(`${zipkinUrl}/api/v2/trace/${traceId}`, {
    signal: AbortSignal.timeout(5_000),
  });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`Zipkin GET /api/v2/trace/${traceId}: HTTP ${response.status}`);
  return (await response.json()) as ZipkinSpan[];
}

/** The service names Zipkin has received spans from (GET /api/v2/services). */
export async function zipkinServices(): Promise<string[]> {
  const response = await fetch(`${zipkinUrl}/api/v2/services`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`Zipkin GET /api/v2/services: HTTP ${response.status}`);
  return (await response.json()) as string[];
}

/**
 * Polls a trace until `missing` finds nothing missing in it (it names what is missing),
 * bounded: spans reach Zipkin in batches, each service exporting its own.
 */
export async function awaitTrace(
  traceId: string,
  missing: (spans: ZipkinSpan[]) => string | undefined,
  timeoutMs: number,
): Promise<ZipkinSpan[]> {
  let spans: ZipkinSpan[] = [];
  let lacking: string | undefined;
  await waitFor(
    () => {
      const seen = spans.map((s) => `${s.localEndpoint?.serviceName}:${s.name}`).join(', ');
      return `trace ${traceId} to have ${lacking}; it has: ${seen}`;
    },
    async () => {
      spans = await zipkinTrace(traceId);
      lacking = missing(spans);
      return lacking === undefined;
    },
    { timeoutMs, pollMs: 250 },
  );
  return spans;
}

/** The chain of parents of a span within its trace, nearest first (stops at a parent Zipkin lacks). */
export function ancestorsOf(spans: readonly ZipkinSpan[], span: ZipkinSpan): ZipkinSpan[] {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const chain: ZipkinSpan[] = [];
  let parentId = span.parentId;
  while (parentId !== undefined) {
    const parent = byId.get(parentId);
    if (!parent || chain.includes(parent)) break;
    chain.push(parent);
    parentId = parent.parentId;
  }
  return chain;
}
