/**
 * Chromium for the page tests (playwright-core, Debian's chromium): launching it, a fresh page per
 * viewport, axe-core without serious violations, and nothing sticking out sideways on a phone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// Functions given to page.evaluate run in the browser; the project compiles without the DOM library.
declare const document: {
  documentElement: { scrollWidth: number };
  querySelectorAll(
    selector: string,
  ): ArrayLike<{ tagName: string; className: unknown; closest(s: string): unknown; getBoundingClientRect(): { right: number } }>;
};
declare const window: { innerWidth: number; axe: { run(options: unknown): Promise<{ violations: AxeViolation[] }> } };
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Where screenshots are kept as artefacts. */
export const ARTIFACTS = process.env.TEST_ARTIFACTS_DIR ?? join(__dirname, '..', '..', 'test-artifacts', 'screenshots');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Fresh browser contexts in Dutch and Amsterdam time; CSP is bypassed only so that axe-core can be injected. */
export function pageMaker(browser: () => Browser): {
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  closeAll(): Promise<void>;
} {
  const contexts: BrowserContext[] = [];
  return {
    async newPage(viewport = { width: 1280, height: 900 }) {
      const context = await browser().newContext({ viewport, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam', bypassCSP: true });
      context.setDefaultTimeout(20_000);
      contexts.push(context);
      return context.newPage();
    },
    async closeAll() {
      for (const c of contexts.splice(0)) await c.close();
    },
  };
}

/** axe-core on the page as it is: no serious or critical violation (WCAG 2.1 AA rules). */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.addScriptTag({ content: AXE });
  const { violations } = await page.evaluate(() =>
    window.axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }),
  );
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect([name, serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)]).toEqual([name, []]);
}

/** Nothing sticks out sideways on a phone (wide tables and charts scroll inside their own region); the message names what does. */
export async function fitsTheScreen(page: Page): Promise<void> {
  const wide = await page.evaluate(() =>
    Array.from(document.querySelectorAll('body *'))
      .filter((e) => !e.closest('.table-wrap, .chart-scroll') && e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${String(e.className)}`),
  );
  expect(wide).toEqual([]);
}
