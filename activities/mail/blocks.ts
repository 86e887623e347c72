/**
 * A mail's content written once, as blocks, and rendered twice: as HTML (every value escaped by
 * the `html` tag) and as plain text. Templates never write the same sentence for both forms.
 */
import { html, type SafeHtml } from '../../platform/html';

export type Block =
  | { kind: 'p'; text: string }
  /** "Wat nu:" followed by one sentence or a list. */
  | { kind: 'todo'; items: string | string[] }
  | { kind: 'note'; text: string }
  | { kind: 'facts'; rows: [string, string][] }
  | { kind: 'strong'; text: string }
  | { kind: 'button'; label: string; href: string }
  | { kind: 'card'; title: string; lines: string[]; link: { label: string; href: string } }
  | { kind: 'small'; text: string; url?: string }
  | { kind: 'rule' };

export const p = (text: string): Block => ({ kind: 'p', text });
export const todo = (items: string | string[]): Block => ({ kind: 'todo', items });

const MUTED = 'font-size:13px;color:#52606d';

function blockHtml(b: Block): SafeHtml {
  switch (b.kind) {
    case 'p':
      return html`<p>${b.text}</p>`;
    case 'todo':
      return Array.isArray(b.items)
        ? html`<p><strong>Wat nu:</strong></p><ul>${b.items.map((i) => html`<li>${i}</li>`)}</ul>`
        : html`<p><strong>Wat nu:</strong> ${b.items}</p>`;
    case 'note':
      return html`<p style="padding:8px 12px;background:#fff4e5;border-left:4px solid #f79009">${b.text}</p>`;
    case 'facts':
      return html`<table role="presentation" style="border-collapse:collapse;width:100%;margin:16px 0">${b.rows.map(
        ([k, v]) =>
          html`<tr><th scope="row" style="text-align:left;vertical-align:top;padding:4px 12px 4px 0;white-space:nowrap;font-weight:bold">${k}</th><td style="padding:4px 0">${v}</td></tr>`,
      )}</table>`;
    case 'strong':
      return html`<p><strong>${b.text}</strong></p>`;
    case 'button':
      return html`<p style="margin:24px 0"><a href="${b.href}" style="display:inline-block;padding:10px 16px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:4px">${b.label}</a></p>`;
    case 'card':
      return html`<div style="border:1px solid #e4e7eb;border-radius:4px;padding:12px 16px;margin:16px 0"><h2 style="margin:0 0 8px 0;font-size:16px">${b.title}</h2>${b.lines.map(
        (l, i) => html`<p style="margin:0 0 8px 0${i > 0 ? `;${MUTED}` : ''}">${l}</p>`,
      )}<p style="margin:0"><a href="${b.link.href}">${b.link.label}</a></p></div>`;
    case 'small':
      return html`<p style="${MUTED}">${b.text}${b.url ? html`<br><span style="word-break:break-all">${b.url}</span>` : ''}</p>`;
    case 'rule':
      return html`<hr style="border:none;border-top:1px solid #e4e7eb;margin:24px 0">`;
  }
}

function blockText(b: Block): string {
  switch (b.kind) {
    case 'p':
    case 'note':
      return b.kind === 'note' ? `LET OP: ${b.text}` : b.text;
    case 'todo':
      return Array.isArray(b.items) ? ['Wat nu:', ...b.items.map((i) => `- ${i}`)].join('\n') : `Wat nu: ${b.items}`;
    case 'facts':
      return b.rows.map(([k, v]) => `${`${k}:`.padEnd(20)}${v}`).join('\n');
    case 'strong':
      return b.text;
    case 'button':
      return `${b.label}:\n${b.href}`;
    case 'card':
      return [b.title, ...b.lines.map((l) => `   ${l}`), `   ${b.link.href}`].join('\n');
    case 'small':
      return b.url ? `${b.text}\n${b.url}` : b.text;
    case 'rule':
      return '--';
  }
}

/** The whole mail in both forms, inside the shared frame. */
export function renderBlocks(subject: string, heading: string, headingColor: string, blocks: Block[]): { html: string; text: string } {
  const body = html`<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${subject}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5">
<div style="max-width:640px;margin:0 auto;padding:24px;background:#ffffff">
<p style="margin:0 0 4px 0;${MUTED}">Routekaart naar Veiligheid</p>
<h1 style="margin:0 0 16px 0;font-size:20px;color:${headingColor}">${heading}</h1>
${blocks.map((b) => html`${blockHtml(b)}\n`)}</div>
</body>
</html>
`;
  const text = [heading.toUpperCase(), '', ...blocks.flatMap((b) => [blockText(b), ''])].join('\n');
  return { html: body.value, text };
}
