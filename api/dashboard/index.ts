/**
 * The coordinators' dashboard (ROUTEKAART.md section 6: "coordinators monitor all running
 * trajectories"): one hand-written page, script and stylesheet, no framework and no build step.
 * The page reads the JSON API with the caller's own credentials (API key, or a signed e-mail link
 * for one household), so this router holds no household data and needs no authentication itself.
 *
 * Mount it at /dashboard: `app.use('/dashboard', createDashboardRouter())`. Pages:
 *   /dashboard                    overview of running households
 *   /dashboard/households/:id     one household (optionally ?token=<signed link>)
 */
import express from 'express';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy';
import { dashboardVocabulary } from './vocabulary';

export interface DashboardOptions {
  /** Path of the JSON API as the browser sees it. */
  apiBase?: string;
  /** The deployment's policy, for the thresholds the page shows. */
  policy?: Policy;
  /** Directory holding index.html, app.js and app.css; found next to the sources by default. */
  staticDir?: string;
}

// Data never reaches the page through HTML: the script renders with textContent, and this policy
// forbids inline script and foreign origins, so injected markup could not run even if it got in.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(_req: express.Request, res: express.Response, next: express.NextFunction): void {
  res.set({
    'Content-Security-Policy': CSP,
    // A household page may carry a signed link token in its URL: never pass it on as a referrer.
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  });
  next();
}

/** The static files live in the source tree; `tsc` does not copy them, so dist/ looks back into it. */
function findStaticDir(): string {
  const candidates = [path.join(__dirname, 'static'), path.resolve(__dirname, '..', '..', '..', 'api', 'dashboard', 'static')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
  if (!found) throw new Error(`Dashboard files not found; looked in: ${candidates.join(', ')}`);
  return found;
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside <script type="application/json">: `<` escaped so no value can close the element. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function createDashboardRouter(options: DashboardOptions = {}): express.Router {
  const dir = options.staticDir ?? findStaticDir();
  const read = (name: string) => readFileSync(path.join(dir, name));
  const template = read('index.html').toString('utf8');
  const assets: Record<string, { body: Buffer; type: string }> = {
    'app.js': { body: read('app.js'), type: 'text/javascript; charset=utf-8' },
    'app.css': { body: read('app.css'), type: 'text/css; charset=utf-8' },
  };
  const vocabulary = jsonForScript(dashboardVocabulary(options.policy ?? DEFAULT_POLICY));
  const apiBase = options.apiBase ?? '/api/v1';

  const router = express.Router();
  router.use(securityHeaders);

  router.get('/assets/:name', (req, res, next) => {
    const asset = Object.hasOwn(assets, req.params.name) ? assets[req.params.name] : undefined;
    if (!asset) return next();
    res.set('Cache-Control', 'no-cache').type(asset.type).send(asset.body);
  });

  const page: express.RequestHandler = (req, res) => {
    // The base is where the app mounted this router, so links and assets follow the mount point.
    const html = template
      .replaceAll('{{BASE}}', escapeAttribute(req.baseUrl))
      .replaceAll('{{API_BASE}}', escapeAttribute(apiBase))
      .replace('{{VOCABULARY}}', () => vocabulary);
    res.set('Cache-Control', 'no-store').type('html').send(html);
  };
  router.get('/', page);
  router.get('/households/:id', page);
  return router;
}
