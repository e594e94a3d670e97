/**
 * The page shell the dev message lists share (the mailbox at `/dev/mailbox`, the SMS outbox at
 * `/dev/sms`): bilingual heading and intro, a refresh button, a 5-second auto-refresh toggle (a meta
 * refresh: the pages run no script, and `DEV_PAGE_CSP` allows none), a JSON link, the count and the list.
 */

/** Content-Security-Policy of the dev pages: inline styles only, no script, forms to themselves. */
export const DEV_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** What one dev list page shows; every text is trusted markup written by our code (items are escaped by the caller). */
export interface DevListPage {
  /** English and Portuguese titles: `<title>` is 'en / pt', the heading marks the pt part's language. */
  titleEn: string;
  titlePt: string;
  /** One paragraph of English then Portuguese. */
  introEn: string;
  introPt: string;
  /** The page's own path, e.g. '/dev/sms' (its JSON is `${path}/messages.json`). */
  path: string;
  auto: boolean;
  /** How many items, and the item `<li>`s (already escaped HTML). */
  count: number;
  itemsHtml: string;
  /** 'message / mensagem' and its plural; the text when empty. */
  one: string;
  many: string;
  empty: string;
}

/** The whole page; `auto` adds a 5-second meta refresh. */
export function renderDevListPage(p: DevListPage): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
${p.auto ? '<meta http-equiv="refresh" content="5">' : ''}<title>${p.titleEn} / ${p.titlePt}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1f2933;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin:0 0 .5rem}h3{font-size:.95rem;margin:.75rem 0 .25rem}
ol.messages{list-style:none;padding:0}ol.messages>li{border:1px solid #9aa5b1;border-radius:6px;padding:1rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0}dt{font-weight:600}dd{margin:0;min-width:0;overflow-wrap:anywhere}
pre{white-space:pre-wrap;word-break:break-word;background:#f0f4f8;padding:.75rem;border-radius:4px}
a{color:#0b4f94;word-break:break-all}button,.toggle{font-size:1rem;padding:.4rem .9rem}
:focus-visible{outline:3px solid #0b4f94;outline-offset:2px}
</style></head>
<body><header><h1>${p.titleEn} / <span lang="pt-PT">${p.titlePt}</span></h1>
<p>${p.introEn}
<span lang="pt-PT">${p.introPt}</span></p>
<form method="get" action="${p.path}">${p.auto ? '<input type="hidden" name="auto" value="1">' : ''}
<button type="submit">Refresh / Atualizar</button>
<a class="toggle" href="${p.path}${p.auto ? '' : '?auto=1'}">${p.auto ? 'Stop auto-refresh / Parar atualização automática' : 'Auto-refresh every 5 s / Atualizar a cada 5 s'}</a>
<a href="${p.path}/messages.json">JSON</a></form>
<p role="status">${p.count} ${p.count === 1 ? p.one : p.many}</p></header>
<main>${p.count ? `<ol class="messages">${p.itemsHtml}</ol>` : `<p>${p.empty}</p>`}</main>
</body></html>
`;
}
