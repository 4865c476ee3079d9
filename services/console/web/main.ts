import { html, render } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api';
import { AuditTrailPage, mayReadAudit } from './audit';
import { ListingDetail } from './listing-detail';
import { Listings } from './listings';
import { Markets } from './markets';
import { PipelinePage } from './pipeline';
import './styles.css';
import type { Session } from './types';

/** The page a hash names: #/listings?…, #/listings/<id>, #/markets?…, #/pipeline, #/audit?…. */
interface Route {
  page: 'listings' | 'listing' | 'markets' | 'pipeline' | 'audit';
  id?: string;
  query: URLSearchParams;
}

function routeOf(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page, id] = path.split('/');
  const query = new URLSearchParams(search);
  if (page === 'listings' && id) return { page: 'listing', id: decodeURIComponent(id), query };
  if (page === 'markets' || page === 'pipeline' || page === 'audit') return { page, query };
  return { page: 'listings', query };
}

/**
 * Signing in happens at the identity provider's own page (authorization code flow with
 * PKCE): the console never sees a password. It comes back to the route it left.
 */
function SignIn() {
  const returnTo = /^#\/[A-Za-z0-9/?&=%._~+-]{0,500}$/.test(location.hash) ? location.hash : '#/listings';
  return html`<main id="main" class="signin">
    <h1>deedstream console</h1>
    <p id="signin-help">
      Sign in with your deedstream account at the identity provider (local realm: seller1, ops1 … password
      deedstream).
    </p>
    <a
      class="primary"
      href=${`/session/login?returnTo=${encodeURIComponent(returnTo)}`}
      aria-describedby="signin-help"
      >Sign in</a
    >
  </main>`;
}

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [route, setRoute] = useState<Route>(routeOf(location.hash));

  useEffect(() => {
    const onHash = () => setRoute(routeOf(location.hash));
    addEventListener('hashchange', onHash);
    // 204: nobody is signed in.
    api<Session | undefined>('/session')
      .then((found) => setSession(found ?? null))
      .catch(() => setSession(null));
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    document.getElementById('main')?.focus();
  }, [route.page, route.id]);

  if (session === undefined) return html`<p class="loading">Loading…</p>`;
  if (session === null) return html`<${SignIn} />`;

  const signOut = async () => {
    await api('/session', { method: 'DELETE' }).catch((e: unknown) => {
      if (!(e instanceof ApiError)) throw e;
    });
    setSession(null);
  };
  const tab = (page: Route['page'], label: string, href: string) =>
    html`<a
      href=${href}
      aria-current=${route.page === page || (page === 'listings' && route.page === 'listing') ? 'page' : undefined}
      >${label}</a
    >`;
  return html`<a
      class="skip"
      href="#main"
      onClick=${(e: Event) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}
      >Skip to content</a
    >
    <header>
      <strong>deedstream</strong>
      <nav aria-label="Console pages">
        ${tab('listings', 'Listings', '#/listings')} ${tab('markets', 'Markets', '#/markets')}
        ${tab('pipeline', 'Pipeline', '#/pipeline')}
        ${mayReadAudit(session) && tab('audit', 'Audit', '#/audit')}
      </nav>
      <span class="user"
        >${`${session.username} (${session.roles.filter((r) => !r.startsWith('default-') && r !== 'offline_access' && r !== 'uma_authorization').join(', ') || 'no roles'})`}</span
      >
      <button type="button" onClick=${signOut}>Sign out</button>
    </header>
    <main id="main" tabindex="-1">
      ${route.page === 'listings' && html`<${Listings} query=${route.query} />`}
      ${route.page === 'listing' && route.id && html`<${ListingDetail} id=${route.id} query=${route.query} />`}
      ${route.page === 'markets' && html`<${Markets} query=${route.query} />`}
      ${route.page === 'pipeline' && html`<${PipelinePage} session=${session} query=${route.query} />`}
      ${route.page === 'audit' && html`<${AuditTrailPage} session=${session} query=${route.query} />`}
    </main>`;
}

const root = document.getElementById('app');
if (root) render(html`<${App} />`, root);
