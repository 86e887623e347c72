/** The dashboard's one stylesheet (no script anywhere), served from the source tree. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { page, type PageContext } from './page';

/** The stylesheet lives in the source tree; `tsc` does not copy it, so dist/ looks back into it. */
function stylesheet(): Buffer {
  const candidates = [
    path.join(__dirname, 'static', 'app.css'),
    path.resolve(__dirname, '..', '..', '..', 'api', 'pages', 'static', 'app.css'),
  ];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`Dashboard stylesheet not found; looked in: ${candidates.join(', ')}`);
  return readFileSync(found);
}

export function assetPages(ctx: PageContext): void {
  const css = stylesheet();
  page(ctx, { method: 'get', path: '/assets/app.css', reader: 'none' }, async () => ({
    file: { contentType: 'text/css; charset=utf-8', headers: { 'Cache-Control': 'no-cache' }, body: css },
  }));
}
