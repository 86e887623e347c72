/**
 * Figure 5, the coordinators' list at N open households: GET /households with filters, a walk
 * through pages with nextPageToken, and the overview counts, each request one at a time. The
 * population is mixed (phases Afstemming, Veiligheid, Risico gestuurd; levels 0 to 3), topped up
 * with bare starts when fewer than N households are open.
 */
import { log } from '../lifecycle';
import { report, runLoad } from '../load';
import { summarize } from '../stats';
import type { Keys, Stack } from '../stack';

export interface ListOptions {
  households: number;
  repeat: number;
  pages: number;
}

export async function measureLists(stack: Stack, o: ListOptions) {
  const open = await stack.openHouseholds();
  if (open < o.households) {
    log(`${stack.engine.name}: lists: ${open} open households, adding ${o.households - open}`);
    await stack.addPopulation(o.households - open, 20, 'list population');
  }
  const openNow = await stack.openHouseholds();
  const get = async (path: string, key: keyof Keys = 'coordinator') => {
    const res = await stack.call('GET', path, key);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
    return res.body;
  };
  const queries: Record<string, { path: string; key?: keyof Keys }> = {
    firstPage: { path: '/households' },
    escalationLevel1: { path: '/households?escalationLevel=1' },
    veiligheidPage100: { path: '/households?phase=veiligheid&pageSize=100' },
    organisationOverdue: { path: '/households?organisation=veilig-thuis&overdue=true' },
    intakeKeyVisibility: { path: '/households?pageSize=50', key: 'intake' },
    professionalKeyVisibility: { path: '/households?pageSize=50', key: 'professional' },
    overview: { path: '/households/overview' },
  };
  const results: Record<string, unknown> = { openHouseholds: openNow };
  const counts: Record<string, number> = {};
  for (const [name, q] of Object.entries(queries)) {
    const body = await get(q.path, q.key);
    counts[name] = Array.isArray(body.items) ? body.items.length : -1;
    results[name] = report(await runLoad(o.repeat, 1, () => get(q.path, q.key).then(() => undefined)));
  }
  // Paging: the pages after the first, each with the token of the page before.
  const withToken: number[] = [];
  const walks = Math.max(1, Math.floor(o.repeat / o.pages));
  for (let w = 0; w < walks; w++) {
    let token: string | undefined;
    for (let p = 0; p < o.pages; p++) {
      const t0 = performance.now();
      const body = await get(`/households?pageSize=50${token ? `&nextPageToken=${encodeURIComponent(token)}` : ''}`);
      if (token) withToken.push(performance.now() - t0);
      token = body.nextPageToken as string | undefined;
      if (!token) break;
    }
  }
  results.nextPages = { pageSize: 50, pagesPerWalk: o.pages, latencyMs: summarize(withToken) };
  results.itemsOnFirstPage = counts;
  return results;
}
