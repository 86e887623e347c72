/**
 * A minimal MIME reader for the tests (mailparser is not a dependency): headers with unfolding
 * and encoded words, multipart bodies, quoted-printable and base64.
 */

export interface MimePart {
  headers: Map<string, string>;
  contentType: string;
  params: Record<string, string>;
  /** Decoded body (transfer encoding undone). */
  body: Buffer;
  parts: MimePart[];
}

/** =?UTF-8?Q?...?= and =?UTF-8?B?...?= words; whitespace between two encoded words disappears. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?[^?]+\?[QqBb]\?[^?]*\?=)/g, '$1')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, data: string) => {
      if (enc.toUpperCase() === 'B') return Buffer.from(data, 'base64').toString('utf8');
      const bytes = data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    });
}

function decodeQp(s: string): Buffer {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const ch = soft[i]!;
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(ch, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

function parseParams(value: string): { value: string; params: Record<string, string> } {
  const [first, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    params[p.slice(0, eq).trim().toLowerCase()] = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return { value: (first ?? '').trim().toLowerCase(), params };
}

export function parseMime(raw: Buffer | string): MimePart {
  const text = Buffer.isBuffer(raw) ? raw.toString('latin1') : Buffer.from(raw, 'utf8').toString('latin1');
  const split = text.search(/\r?\n\r?\n/);
  const head = split < 0 ? text : text.slice(0, split);
  const bodyRaw = split < 0 ? '' : text.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = decodeWords(Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8'));
    headers.set(name, headers.has(name) ? `${headers.get(name)}\n${value}` : value);
  }
  const ct = parseParams(headers.get('content-type') ?? 'text/plain');
  const cte = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const part: MimePart = { headers, contentType: ct.value, params: ct.params, body: Buffer.alloc(0), parts: [] };
  if (ct.value.startsWith('multipart/') && ct.params.boundary) {
    const delimiter = `--${ct.params.boundary}`;
    const chunks = bodyRaw.split(delimiter);
    for (const chunk of chunks.slice(1)) {
      if (chunk.startsWith('--')) break;
      part.parts.push(parseMime(Buffer.from(chunk.replace(/^\r?\n/, '').replace(/\r?\n$/, ''), 'latin1')));
    }
    return part;
  }
  if (cte === 'base64') part.body = Buffer.from(bodyRaw.replace(/\s+/g, ''), 'base64');
  else if (cte === 'quoted-printable') part.body = decodeQp(bodyRaw);
  else part.body = Buffer.from(bodyRaw, 'latin1');
  return part;
}

/** Every leaf part, depth first. */
export function leaves(p: MimePart): MimePart[] {
  return p.parts.length ? p.parts.flatMap(leaves) : [p];
}

export function partOf(p: MimePart, contentType: string): MimePart | undefined {
  return leaves(p).find((l) => l.contentType === contentType);
}

export function textOf(p: MimePart | undefined): string {
  return p ? p.body.toString('utf8') : '';
}

/** The message as tests read it: headers, text, html, calendar parts. */
export function readMail(raw: Buffer) {
  const root = parseMime(raw);
  const header = (name: string) => root.headers.get(name.toLowerCase());
  return {
    root,
    header,
    subject: header('subject') ?? '',
    messageId: header('message-id') ?? '',
    text: textOf(partOf(root, 'text/plain')),
    html: textOf(partOf(root, 'text/html')),
    calendarParts: leaves(root).filter((l) => l.contentType === 'text/calendar' || l.contentType === 'application/ics'),
  };
}

/** Unfolds an iCalendar text and returns its content lines. */
export function icsLines(ics: string): string[] {
  return ics
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .filter(Boolean);
}
