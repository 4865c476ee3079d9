import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, when } from './api';
import type { ListingFeeds } from './types';

/** Asked for less often than the pipeline: each report counts every record of every feed. */
const refreshMs = 30_000;

const count = (n: number) => n.toLocaleString('en');

/** The listing feeds (the property service's GET /ops/feeds): each source's outcomes, its rejections by reason. */
export function ListingFeedsSection() {
  const [feeds, setFeeds] = useState<ListingFeeds | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    let current = true;
    api<ListingFeeds>('/api/property/ops/feeds')
      .then((found) => {
        if (!current) return;
        setFeeds(found);
        setError(null);
      })
      .catch((e: unknown) => current && setError((e as Error).message));
    const timer = setTimeout(() => setRound((r) => r + 1), refreshMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [round]);

  return html`<section class="listing-feeds" aria-label="Listing feeds">
    <h2>Listing feeds</h2>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    ${
      feeds &&
      (feeds.sources.length === 0
        ? html`<p class="muted">No listing feed is configured, and none has records.</p>`
        : html`<table class="feeds">
            <thead>
              <tr>
                <th>Source</th>
                <th>Imported</th>
                <th>Updated</th>
                <th>Unchanged</th>
                <th>Rejected</th>
                <th>Last record</th>
              </tr>
            </thead>
            ${feeds.sources.map(
              (f) =>
                html`<tbody data-source=${f.source}>
                  <tr>
                    <td>${f.source}</td>
                    <td>${count(f.imported)}</td>
                    <td>${count(f.updated)}</td>
                    <td>${count(f.unchanged)}</td>
                    <td class=${f.rejected > 0 ? 'bad' : ''}>${count(f.rejected)}</td>
                    <td>${when(f.lastRecordAt)}</td>
                  </tr>
                  ${
                    f.reasons.length > 0 &&
                    html`<tr class="reasons">
                      <td colspan="6">
                        <ul aria-label=${`Rejections of ${f.source}`}>
                          ${f.reasons.map((r) => html`<li>${`${count(r.records)} × ${r.reason}`}</li>`)}
                        </ul>
                      </td>
                    </tr>`
                  }
                </tbody>`,
            )}
          </table>`)
    }
  </section>`;
}
