/**
 * The frame of every page of the dashboard and the action forms: server-rendered HTML (every
 * value escaped by the `html` tag), Dutch, one stylesheet, no script. Pages work on a phone and
 * by keyboard (a skip link, labels on every field, visible focus) without any JavaScript.
 */
import { html, type SafeHtml } from '../../platform/html';

export interface FrameOptions {
  title: string;
  /** Where the dashboard is mounted, for links and the stylesheet. */
  base: string;
  /** Who is logged in (shown with a logout button); absent on login and link pages. */
  who?: string;
  /** Navigation links shown in the top bar. */
  nav?: { href: string; label: string }[];
}

export function frame(o: FrameOptions, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${o.title} – Routekaart naar Veiligheid</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${o.base}/assets/app.css">
</head>
<body>
<a class="skip-link" href="#main">Naar de inhoud</a>
<header class="topbar"><div class="topbar-inner">
<a class="brand" href="${o.base}"><span class="brand-mark" aria-hidden="true"></span><span class="brand-text">Routekaart naar Veiligheid <span class="brand-sub">Dashboard</span></span></a>
${
  o.nav?.length
    ? html`<nav aria-label="Hoofdmenu"><ul class="nav">${o.nav.map((n) => html`<li><a href="${n.href}">${n.label}</a></li>`)}</ul></nav>`
    : ''
}
${
  o.who
    ? html`<form class="session" method="post" action="${o.base}/logout"><span>${o.who}</span><button type="submit" class="button button-quiet">Uitloggen</button></form>`
    : ''
}
</div></header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>
`.value;
}

/** A notice box: an error (role alert) or information. */
export function notice(kind: 'error' | 'info' | 'ok', text: string | SafeHtml): SafeHtml {
  return html`<div class="notice notice-${kind}" ${kind === 'error' ? html`role="alert"` : html`role="status"`}>${text}</div>`;
}
