import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, when } from './api';
import type { AuditEntry, AuditPage, Session } from './types';

/**
 * Who may read the trail. The audit service decides (rule `audit-compliance-or-ops`); the
 * page mirrors it only to leave the tab out for users it would refuse anyway.
 */
const auditReaders = ['compliance', 'ops'];

export const mayReadAudit = (session: Session): boolean =>
  session.roles.some((role) => auditReaders.includes(role));

const kinds = ['event', 'command', 'reply'] as const;

interface TextFilter {
  name: string;
  label: string;
  hint?: string;
  /** Ids (UUIDs) and instants: a field narrower than one hides most of what was typed. */
  holds?: 'id' | 'instant';
}

/** The text filters of GET /audit, as the page keeps them in its hash (kind is a select). */
const textFilters: readonly TextFilter[] = [
  { name: 'aggregateType', label: 'Aggregate type', hint: 'property, people…' },
  { name: 'aggregateId', label: 'Aggregate id', holds: 'id' },
  { name: 'actor', label: 'Actor', hint: 'token subject', holds: 'id' },
  { name: 'correlationId', label: 'Correlation id', holds: 'id' },
  { name: 'purchase', label: 'Purchase', hint: 'transaction id', holds: 'id' },
  { name: 'from', label: 'From', hint: '2026-12-01T09:30:00Z', holds: 'instant' },
  { name: 'to', label: 'To (exclusive)', hint: '2026-12-02', holds: 'instant' },
  { name: 'limit', label: 'Per page', hint: '100' },
];

/** What the kind of a refusal means to the reader, ahead of the service's own words. */
const problemKinds: Record<number, string> = {
  400: 'Invalid filter',
  401: 'Signed out',
  403: 'Not allowed',
  502: 'The audit service cannot be reached',
  503: 'The audit trail is unavailable',
};

function problemLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const kind = error instanceof ApiError ? problemKinds[error.status] : undefined;
  return kind ? `${kind}: ${message}` : message;
}

/** The answer for one query (its hash), so an answer to an earlier query is never shown under a newer one. */
type AuditRead = { key: string; page: AuditPage } | { key: string; problem: string };

function go(query: URLSearchParams) {
  location.hash = `#/audit${query.toString() === '' ? '' : `?${query.toString()}`}`;
}

/** The audit trail: who did what, when, in which purchase; for the compliance desk and operators. */
export function AuditTrailPage({ session, query }: { session: Session; query: URLSearchParams }) {
  if (!mayReadAudit(session)) {
    return html`<h1>Audit</h1>
      <p class="error">The Audit page needs the compliance or ops role; ${session.username} has neither.</p>`;
  }
  return html`<${AuditTrailView} query=${query} />`;
}

function AuditTrailView({ query }: { query: URLSearchParams }) {
  const [read, setRead] = useState<AuditRead | null>(null);
  // The trail grows as messages cross Kafka: Refresh asks again for the same query.
  const [round, setRound] = useState(0);
  const key = query.toString();

  useEffect(() => {
    let current = true;
    api<AuditPage>(`/api/audit/audit${key === '' ? '' : `?${key}`}`)
      .then((page) => current && setRead({ key, page }))
      .catch((e: unknown) => current && setRead({ key, problem: problemLine(e) }));
    return () => {
      current = false;
    };
  }, [key, round]);

  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const next = new URLSearchParams();
    for (const { name } of textFilters) {
      const value = String(form.get(name) ?? '').trim();
      if (value !== '') next.set(name, value);
    }
    const kind = String(form.get('kind') ?? '');
    if (kind !== '') next.set('kind', kind);
    go(next);
  };
  const refine = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(query);
    next.delete('cursor');
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) next.delete(name);
      else next.set(name, value);
    }
    go(next);
  };
  const shown = read?.key === key ? read : null;

  // Uncontrolled and keyed by the query, as on the Listings page: a refresh leaves what the
  // user is typing alone, a new query shows its own values.
  return html`<h1>Audit</h1>
    <form class="filters" onSubmit=${submit} aria-label="Audit filters" key=${key}>
      ${textFilters.map(
        ({ name, label, hint, holds }) =>
          html`<label
            >${label}
            <input
              name=${name}
              class=${holds ? `holds-${holds}` : undefined}
              placeholder=${hint}
              defaultValue=${query.get(name) ?? ''}
          /></label>`,
      )}
      <label
        >Kind
        <select name="kind">
          <option value="">any</option>
          ${kinds.map((k) => html`<option value=${k} selected=${query.get('kind') === k}>${k}</option>`)}
        </select>
      </label>
      <div class="actions">
        <button type="submit">Search</button>
        <button type="button" onClick=${() => go(new URLSearchParams())}>Clear</button>
        <button type="button" onClick=${() => setRound((r) => r + 1)}>Refresh</button>
      </div>
    </form>
    ${
      shown === null
        ? html`<p class="muted">Loading…</p>`
        : 'problem' in shown
          ? html`<p role="alert" class="error">${shown.problem}</p>`
          : html`<${AuditTable}
                page=${shown.page}
                onPurchase=${(purchase: string) => refine({ purchase, correlationId: undefined })}
              />
              <nav class="paging" aria-label="Pages">
                <button
                  type="button"
                  disabled=${!query.has('cursor')}
                  onClick=${() => refine({ cursor: undefined })}
                >
                  First page
                </button>
                <button
                  type="button"
                  disabled=${shown.page.nextCursor === null}
                  onClick=${() => {
                    const next = new URLSearchParams(query);
                    if (shown.page.nextCursor) next.set('cursor', shown.page.nextCursor);
                    go(next);
                  }}
                >
                  Next page
                </button>
              </nav>`
    }`;
}

/** Where a message is on Kafka, as a reader quotes it: topic@partition:offset. */
const kafkaPlaceOf = (entry: AuditEntry) => `${entry.topic}@${entry.partition}:${entry.offset}`;

function AuditTable({ page, onPurchase }: { page: AuditPage; onPurchase: (purchase: string) => void }) {
  if (page.entries.length === 0) {
    return html`<p class="muted" aria-live="polite">No entries match these filters.</p>`;
  }
  return html`<p class="total" aria-live="polite">
      ${`${page.entries.length} entries on this page, oldest first`}
    </p>
    <table class="audit">
      <thead>
        <tr>
          <th>Time</th>
          <th>Kind</th>
          <th>Aggregate</th>
          <th>Type</th>
          <th>Actor</th>
          <th>Purchase</th>
          <th>Kafka</th>
        </tr>
      </thead>
      <tbody>
        ${page.entries.map((entry) => html`<${AuditRow} key=${entry.messageId} entry=${entry} onPurchase=${onPurchase} />`)}
      </tbody>
    </table>`;
}

function AuditRow({ entry, onPurchase }: { entry: AuditEntry; onPurchase: (purchase: string) => void }) {
  const purchase = entry.purchaseId;
  return html`<tr data-kind=${entry.kind}>
    <td><time datetime=${entry.occurredAt} title=${entry.occurredAt}>${when(entry.occurredAt)}</time></td>
    <td>${entry.kind}</td>
    <td>
      ${entry.aggregateType}${' '}
      ${
        // Properties are what the console shows: their id opens the listing.
        entry.aggregateType === 'property'
          ? html`<a href=${`#/listings/${encodeURIComponent(entry.aggregateId)}`}
              ><code>${entry.aggregateId}</code></a
            >`
          : html`<code>${entry.aggregateId}</code>`
      }
    </td>
    <td>${entry.type}</td>
    <td class="actor">
      ${entry.actor === null ? html`<span class="muted">system</span>` : html`<code>${entry.actor}</code>`}
    </td>
    <td>
      ${
        purchase === null
          ? '—'
          : html`<button
              type="button"
              class="link"
              aria-label=${`Show purchase ${purchase} only`}
              onClick=${() => onPurchase(purchase)}
            >
              <code>${purchase}</code>
            </button>`
      }
    </td>
    <td><code>${kafkaPlaceOf(entry)}</code></td>
  </tr>`;
}
