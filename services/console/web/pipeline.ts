import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, when } from './api';
import { Chart } from './chart';
import { ListingFeedsSection } from './listing-feeds';
import type { Pipeline, Session, Whereabouts } from './types';

const bytes = (n: number | null) =>
  n === null
    ? '—'
    : n < 1024
      ? `${n} B`
      : n < 1024 ** 2
        ? `${(n / 1024).toFixed(1)} KiB`
        : `${(n / 1024 ** 2).toFixed(1)} MiB`;
const ms = (n: number) => (n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`);

/**
 * Everything between a commit and the read models, live: services, relays, projections,
 * consumer lag; and the listing feeds that bring listings in.
 */
export function PipelinePage({ session, query }: { session: Session; query: URLSearchParams }) {
  if (!session.roles.includes('ops')) {
    return html`<h1>Pipeline</h1>
      <p class="error">The Pipeline page needs the ops role; ${session.username} does not have it.</p>`;
  }
  return html`<${PipelineView} query=${query} />`;
}

function PipelineView({ query }: { query: URLSearchParams }) {
  const [pipeline, setPipeline] = useState<Pipeline | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const [replays, setReplays] = useState<Record<string, string>>({});

  useEffect(() => {
    let current = true;
    api<Pipeline>('/api/console/pipeline')
      .then((found) => {
        if (!current) return;
        setPipeline(found);
        setError(null);
      })
      .catch((e: unknown) => current && setError((e as Error).message));
    const timer = setTimeout(
      () => setTick((t) => t + 1),
      Math.max(2_000, pipeline?.consumerLag.sampleMs ?? 5_000),
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [tick]);

  const replay = async (service: string, aggregateId: string) => {
    const key = `${service}:${aggregateId}`;
    setReplays((r) => ({ ...r, [key]: 'replaying…' }));
    try {
      const result = await api<{ replayed: number }>(
        `/api/console/projections/${service}/parked/${encodeURIComponent(aggregateId)}/replay`,
        { method: 'POST' },
      );
      setReplays((r) => ({ ...r, [key]: `replayed ${result.replayed} message(s); unparked` }));
      setTick((t) => t + 1);
    } catch (e) {
      setReplays((r) => ({ ...r, [key]: `still parked: ${(e as Error).message}` }));
    }
  };

  const samples = pipeline?.consumerLag.samples ?? [];
  const groups = [...new Set(samples.flatMap((s) => Object.keys(s.lag)))].sort();
  return html`<h1>Pipeline</h1>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    <${WhereIsMyEvent} initial=${query.get('property') ?? ''} />
    ${
      pipeline &&
      html`<p class="muted" aria-live="off">Updated ${when(pipeline.checkedAt)}</p>
        <h2>Consumer lag (last minutes)</h2>
        <${Chart}
          title="Messages behind, per consumer group"
          x=${samples.map((s) => Date.parse(s.at) / 1000)}
          series=${groups.map((g) => ({ label: g, values: samples.map((s) => s.lag[g] ?? null) }))}
        />
        <h2>Services</h2>
        <table class="services">
          <thead>
            <tr>
              <th>Services</th>
              <th>Ready</th>
              <th>Checks</th>
            </tr>
          </thead>
          <tbody>
            ${pipeline.services.map(
              (s) =>
                html`<tr>
                  <td>${s.name}</td>
                  <td class=${s.ready === 'ready' ? 'ok' : 'bad'}>${s.ready}</td>
                  <td>
                    ${
                      Object.entries(s.checks)
                        .filter(([, v]) => v !== 'up')
                        .map(([k, v]) => `${k}: ${v}`)
                        .join('; ') || (s.ready === 'ready' ? 'all up' : '')
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
        <h2>Outbox relays</h2>
        <table class="relays">
          <thead>
            <tr>
              <th>Services</th>
              <th>Connector</th>
              <th>Tasks</th>
              <th>Slot</th>
              <th>Slot lag</th>
              <th>Outbox backlog</th>
              <th>Relayed up to</th>
            </tr>
          </thead>
          <tbody>
            ${pipeline.relays.map(
              (r) =>
                html`<tr data-connector=${r.connector}>
                  <td>${r.services.join(', ')}</td>
                  <td class=${r.state === 'RUNNING' ? 'ok' : 'bad'}>${r.connector}: ${r.state}</td>
                  <td>${r.tasks.map((t) => `${t.id}: ${t.state}`).join(', ') || '—'}</td>
                  <td class=${r.slot.health === 'lost' ? 'bad' : ''}>
                    ${`${r.slot.name} ${r.slot.health}${r.slot.active === false ? ' (inactive)' : ''}${r.slot.detail ? `: ${r.slot.detail}` : ''}`}
                  </td>
                  <td>${bytes(r.slot.lagBytes)}${r.slot.walStatus ? ` (${r.slot.walStatus})` : ''}</td>
                  <td>${r.outbox.backlog} of ${r.outbox.rows} rows</td>
                  <td>${r.error ? html`<span class="bad">${r.error}</span>` : when(r.outbox.relayedUpTo)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        <h2>Projections</h2>
        ${pipeline.projections.map(
          ({ service, status, error: failed }) =>
            html`<section class="projection" aria-label=${`Projection of ${service}`}>
              <h3>${status?.projection ?? service}</h3>
              ${failed && html`<p class="bad">${failed}</p>`}
              ${
                status &&
                html`<p>
                    ${`Group ${status.group}, alias ${status.alias} → ${status.index ?? '—'}; ${status.documents.toLocaleString('en')} documents; lag ${status.lag}; last rebuild ${when(status.lastRebuildAt)}`}
                  </p>
                  ${
                    status.parked.length === 0
                      ? html`<p class="ok">Nothing parked.</p>`
                      : html`<table class="parked">
                          <thead>
                            <tr>
                              <th>Parked aggregate</th>
                              <th>Since</th>
                              <th>Messages</th>
                              <th>Error</th>
                              <th></th>
                            </tr>
                          </thead>
                          <tbody>
                            ${status.parked.map(
                              (p) =>
                                html`<tr data-aggregate=${p.aggregateId}>
                                  <td><a href=${`#/listings/${p.aggregateId}`}>${p.aggregateId}</a></td>
                                  <td>${when(p.parkedAt)}</td>
                                  <td>
                                    ${p.messages.map((m) => `v${m.aggregateVersion ?? '?'} ${m.eventType ?? ''} (${m.original})`).join('; ') || p.parkedMessages}
                                  </td>
                                  <td>${p.lastError}</td>
                                  <td>
                                    <button
                                      type="button"
                                      onClick=${() => replay(service, p.aggregateId)}
                                      aria-label=${`Replay ${p.aggregateId} in ${service}`}
                                    >
                                      Replay
                                    </button>
                                    <span role="status">${replays[`${service}:${p.aggregateId}`] ?? ''}</span>
                                  </td>
                                </tr>`,
                            )}
                          </tbody>
                        </table>`
                  }
                  ${Object.entries(replays)
                    .filter(
                      ([key]) =>
                        key.startsWith(`${service}:`) &&
                        !status.parked.some((p) => `${service}:${p.aggregateId}` === key),
                    )
                    .map(
                      ([key, message]) =>
                        html`<p role="status" class="ok">${key.slice(service.length + 1)}: ${message}</p>`,
                    )}`
              }
            </section>`,
        )}`
    }
    <${ListingFeedsSection} />`;
}

/** "Where is my event?": a property's latest version from commit to Kafka to every read model, refreshed until all caught up. */
function WhereIsMyEvent({ initial }: { initial: string }) {
  const [propertyId, setPropertyId] = useState(initial);
  const [found, setFound] = useState<Whereabouts | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (propertyId === '') return undefined;
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    api<Whereabouts>(`/api/console/whereabouts/${encodeURIComponent(propertyId)}`)
      .then((answer) => {
        if (!current) return;
        setFound(answer);
        setError(null);
        const settled = answer.kafka !== null && answer.readModels.every((m) => m.caughtUp);
        if (!settled) timer = setTimeout(() => setRound((r) => r + 1), 1_000);
      })
      .catch((e: unknown) => current && setError((e as Error).message));
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [propertyId, round]);

  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setFound(null);
    setPropertyId(String(form.get('propertyId') ?? '').trim());
    setRound((r) => r + 1);
  };
  const settled = found !== null && found.kafka !== null && found.readModels.every((m) => m.caughtUp);
  return html`<section class="whereabouts" aria-label="Where is my event?">
    <h2>Where is my event?</h2>
    <form onSubmit=${submit}>
      <label>Property id <input name="propertyId" defaultValue=${propertyId} size="40" required /></label>
      <button type="submit">Find</button>
    </form>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    ${
      found &&
      html`<div aria-live="polite" data-settled=${settled ? 'yes' : 'no'}>
        <p>
          ${'Version '}<strong class="version">${found.version}</strong
          >${` (${found.eventType ?? '?'}) committed ${when(found.committedAt)}.`}
        </p>
        <p class="kafka">
          ${
            found.kafka
              ? `On Kafka: ${found.kafka.topic} partition ${found.kafka.partition}, offset ${found.kafka.offset}, timestamp ${when(found.kafka.timestamp)} (${ms(found.kafka.relayLagMs)} after the commit).`
              : found.kafkaError
                ? html`<span class="bad">Kafka: ${found.kafkaError}</span>`
                : 'Not on Kafka yet…'
          }
        </p>
        <table class="read-models">
          <thead>
            <tr>
              <th>Read model</th>
              <th>Holds version</th>
              <th>Behind</th>
            </tr>
          </thead>
          <tbody>
            ${found.readModels.map(
              (m) =>
                html`<tr data-read-model=${m.name}>
                  <td>${m.name}</td>
                  <td>${m.version ?? '—'}</td>
                  <td class=${m.caughtUp ? 'ok' : 'bad'}>
                    ${m.error ?? (m.caughtUp ? 'caught up' : `${m.behindVersions} version(s), for ${ms(m.behindForMs)}`)}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
        <p class=${settled ? 'ok' : 'muted'}>
          ${settled ? 'Every read model has caught up.' : 'Waiting for the read models…'}
        </p>
      </div>`
    }
  </section>`;
}
