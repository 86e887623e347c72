/**
 * A PDF as a reader sees it: Mozilla's PDF.js (pdfjs-dist) draws every page in Chromium, so that a
 * screenshot shows the document, and reads back its text, so that a test can check what it says.
 * PDF.js is served to the page by request interception from node_modules; nothing is fetched.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';

// Functions given to page.evaluate run in the browser; the project compiles without the DOM library.
declare const document: {
  body: { appendChild(el: unknown): void };
  createElement(tag: 'canvas'): { width: number; height: number; getContext(kind: '2d'): unknown };
};
declare const atob: (b64: string) => string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- PDF.js's own types need the DOM library
declare const window: { pdfjsLib?: any };

const BUILD = join(dirname(require.resolve('pdfjs-dist/package.json')), 'build');
const ROUTE = '/__pdfjs__/';
const FILES: Record<string, { body: string; contentType: string }> = {
  'view.html': { body: '<!doctype html><html lang="nl"><head><title>PDF</title></head><body></body></html>', contentType: 'text/html' },
  'pdf.mjs': { body: readFileSync(join(BUILD, 'pdf.min.mjs'), 'utf8'), contentType: 'text/javascript' },
  'pdf.worker.mjs': { body: readFileSync(join(BUILD, 'pdf.worker.min.mjs'), 'utf8'), contentType: 'text/javascript' },
};

/**
 * Draws the PDF's pages one under the other on a page of `origin` (any origin the page may load
 * from), saves a full-page screenshot and returns the document's text, whitespace collapsed.
 */
export async function renderPdf(page: Page, origin: string, pdf: Buffer, screenshotPath: string): Promise<string> {
  await page.route(`${origin}${ROUTE}**`, (route) => {
    const file = FILES[new URL(route.request().url()).pathname.slice(ROUTE.length)];
    return file ? route.fulfill({ status: 200, contentType: file.contentType, body: file.body }) : route.fulfill({ status: 404 });
  });
  await page.goto(`${origin}${ROUTE}view.html`);
  // A module script, since the test's own code is compiled to CommonJS (no dynamic import inside evaluate).
  await page.addScriptTag({
    type: 'module',
    content: `import * as pdfjs from '${ROUTE}pdf.mjs'; pdfjs.GlobalWorkerOptions.workerSrc = '${ROUTE}pdf.worker.mjs'; window.pdfjsLib = pdfjs;`,
  });
  await page.waitForFunction(() => window.pdfjsLib !== undefined);
  const text = await page.evaluate(
    async ({ base64 }) => {
      const pdfjs = window.pdfjsLib!;
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const doc = await pdfjs.getDocument({ data }).promise;
      const parts: string[] = [];
      for (let n = 1; n <= doc.numPages; n++) {
        const p = await doc.getPage(n);
        const viewport = p.getViewport({ scale: 1.25 });
        const canvas = document.createElement('canvas');
        canvas.width = viewport.width;
        canvas.height = viewport.height;
        document.body.appendChild(canvas);
        await p.render({ canvas, canvasContext: canvas.getContext('2d'), viewport }).promise;
        const content = await p.getTextContent();
        parts.push(content.items.map((i: { str?: string }) => i.str ?? '').join(' '));
      }
      return parts.join(' ');
    },
    { base64: pdf.toString('base64') },
  );
  await page.screenshot({ path: screenshotPath, fullPage: true });
  return text.replace(/\s+/g, ' ').trim();
}
