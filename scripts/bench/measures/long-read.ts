/**
 * Figure 8, one long trajectory read and written (issue 19): a five-year household (monthly
 * scores for four dangers by three groups, 720 in all, each with a 4,000-character observed
 * behaviour; 40 evidence records with notes; 6 confirmed handovers), then one request at a time:
 * GET /households/{id} (the default page of scores), /criteria, /plan, /timeline (first page),
 * and POST /scores, each with its answer's size; for comparison the bare update and the bare
 * snapshot query a command makes.
 * The household is built as an import with its texts already stored encrypted, the way the
 * intake route stores them (api/household-service.ts): a 3 MB body would not pass the API's 1 MB
 * limit, and the figure is about reading and writing it, not about the intake.
 */
import { LIMITS } from '../../../domain/limits';
import { Keyring } from '../../../platform/keyring';
import { TextStore, textRefKey } from '../../../platform/store/texts';
import { SCORE_GROUPS } from '../../../domain/model';
import { addMonths, amsterdamDay, monthOf } from '../../../domain/time';
import { queries, updates } from '../../../workflows/messages';
import { bareStart, intakeBody, OWNER, REGISSEUR, startInput } from '../households';
import { log } from '../lifecycle';
import { report, runLoad } from '../load';
import type { Stack } from '../stack';

export interface LongReadOptions {
  /** Months of history (60: five years). */
  months: number;
  /** Characters of each score's observed behaviour. */
  textChars: number;
  evidence: number;
  handovers: number;
  /** Sequential requests per figure, after a few unmeasured ones. */
  n: number;
}

export const LONG_READ_DEFAULTS: LongReadOptions = { months: 60, textChars: 4000, evidence: 40, handovers: 6, n: 30 };

const DANGERS = ['g1', 'g2', 'g3', 'g4'];
const behaviour = (i: number, chars: number) =>
  `${i}: ${'Het netwerk zag dat vader rustig bleef toen het kind huilde; oma bleef tot de avond. '.repeat(Math.ceil(chars / 80))}`.slice(
    0,
    chars,
  );

/** The five-year household: its texts sealed first, then started with references, as the API does. */
export async function buildLongHousehold(stack: Stack, o: LongReadOptions): Promise<string> {
  const today = amsterdamDay(new Date());
  const first = addMonths(monthOf(today), -(o.months - 1));
  const startDate = `${first}-01`;
  const reference = `BENCH-${stack.tag}-long-read`;
  const probe = startInput(stack.idSecret, intakeBody(reference), stack.policy);
  if (probe.kind !== 'start') throw new Error('start input expected');
  const householdId = probe.start.householdId;
  const texts = new TextStore(stack.db, new Keyring(stack.payloadKey), textRefKey(stack.idSecret));
  const seal = async (list: string[]) => texts.seal(householdId, list);
  await seal([reference]);
  const scoreTexts = Array.from({ length: o.months * DANGERS.length * SCORE_GROUPS.length }, (_, i) => behaviour(i, o.textChars));
  const scoreRefs = await seal(scoreTexts);
  const noteRefs = await seal(Array.from({ length: o.evidence }, (_, i) => `Netwerkberaad ${i}: ${behaviour(i, 600)}`));
  const [statement, goal] = await seal(['Bij ruzie slaat een ouder; het kind raakt in paniek.', 'Ruzies lopen zonder geweld af.']);
  let k = 0;
  const scores = [];
  for (let m = 0; m < o.months; m++)
    for (const dangerId of DANGERS)
      for (const group of SCORE_GROUPS)
        scores.push({ dangerId, group, value: 7, observedBehaviour: scoreRefs[k++]!, date: `${addMonths(first, m)}-01` });
  const evidence = noteRefs.map((note, i) => ({
    item: 'netwerkberaad',
    date: `${addMonths(first, Math.floor((i * o.months) / o.evidence))}-01`,
    note,
  }));
  const body = intakeBody(reference, {
    owner: OWNER,
    casusregisseur: REGISSEUR,
    import: {
      startDate,
      phase: 'risicogestuurd',
      phaseStartDate: `${addMonths(first, 2)}-01`,
      dangers: DANGERS.map((id, i) => ({ id, priority: i + 1, statement, safetyGoal: goal, definedAt: startDate })),
      scores,
      evidence,
    },
  });
  await bareStart(stack.client, startInput(stack.idSecret, body, stack.policy));
  await stack.waitSettled([householdId], 60_000);
  // Handovers of casusregie back and forth within the local team, each confirmed by the newcomer.
  const handle = stack.client.workflow.getHandle(householdId);
  const other = { professionalId: 'p-lt-2', organisation: REGISSEUR.organisation };
  for (let h = 0; h < o.handovers; h++) {
    const [from, to] = h % 2 === 0 ? [REGISSEUR, other] : [other, REGISSEUR];
    await handle.executeUpdate(updates.startHandover, {
      args: [{ actor: { ...from, kind: 'professional' }, body: { role: 'casusregisseur', to, from, reason: 'expertise' } }],
    });
    const open = (await handle.query(queries.snapshot)).state.handovers.find((x) => !x.confirmedAt)!;
    await handle.executeUpdate(updates.confirmHandover, {
      args: [{ actor: { ...to, kind: 'professional' }, body: { handoverId: open.id, startDate: today, householdPresent: true } }],
    });
  }
  stack.started.push(householdId);
  return householdId;
}

export async function measureLongRead(stack: Stack, o: LongReadOptions = LONG_READ_DEFAULTS) {
  log(`${stack.engine.name}: long read: building a ${o.months}-month household`);
  const t0 = performance.now();
  const id = await buildLongHousehold(stack, o);
  const buildMs = Math.round(performance.now() - t0);
  const bytes: Record<string, number> = {};
  const get = (name: string, path: string) => async () => {
    const res = await fetch(`${stack.apiBase}${path}`, { headers: { Authorization: `Bearer ${stack.keys.professional}` } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${text.slice(0, 200)}`);
    bytes[name] = Buffer.byteLength(text);
  };
  const reads = {
    household: get('household', `/households/${id}`),
    criteria: get('criteria', `/households/${id}/criteria`),
    plan: get('plan', `/households/${id}/plan`),
    timeline: get('timeline', `/households/${id}/timeline`),
  };
  const today = amsterdamDay(new Date());
  const score = async (i: number) => {
    const res = await stack.call('POST', `/households/${id}/scores`, 'professional', {
      dangerId: DANGERS[i % DANGERS.length],
      group: SCORE_GROUPS[i % SCORE_GROUPS.length],
      value: 7,
      // A new score keeps to today's limit (issue 19); the history holds the long texts of old.
      observedBehaviour: behaviour(100_000 + i, Math.min(o.textChars, LIMITS.text.observedBehaviour)),
      date: today,
    });
    if (res.status !== 200) throw new Error(`POST /scores answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
    bytes.scoreCommand = Buffer.byteLength(JSON.stringify(res.body));
  };
  const results: Record<string, unknown> = {};
  for (const [name, op] of Object.entries(reads)) {
    await runLoad(3, 1, op);
    results[name] = report(await runLoad(o.n, 1, op));
  }
  await runLoad(3, 1, (i) => score(o.n + i));
  results.scoreCommand = report(await runLoad(o.n, 1, score));
  // Where a command's time goes: the bare update and the bare snapshot query the API makes after it.
  const handle = stack.client.workflow.getHandle(id);
  const [ref] = await new TextStore(stack.db, new Keyring(stack.payloadKey), textRefKey(stack.idSecret)).seal(id, ['Rustig gebleven.']);
  const actor = { ...OWNER, kind: 'professional' as const };
  const body = { dangerId: 'g1', group: 'netwerk' as const, value: 7, observedBehaviour: ref!, date: today };
  results.bareScoreUpdate = report(
    await runLoad(o.n, 1, () => handle.executeUpdate(updates.recordScore, { args: [{ actor, body }] }).then(() => undefined)),
  );
  results.bareSnapshotQuery = report(await runLoad(o.n, 1, () => handle.query(queries.snapshot).then(() => undefined)));
  return { setup: { ...o, scores: o.months * 12, buildMs }, responseBytes: bytes, ...results };
}
