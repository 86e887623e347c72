/**
 * Calm imports (issue 22) over the real workflow, time-skipping from a Tuesday 10:00
 * (test/support/clock.ts): an imported case seven months into Veiligheid with nothing recorded
 * sends one summary mail, escalates nothing during its 14-day review, and climbs after it, or
 * earlier once the casusregisseur confirms the import. No invite lies in the past.
 */
import { addDays } from '../../domain/time';
import { actorOf, DAY, Household, pro, recordingWorker, type Recorded } from '../support/harness/household';
import { eventually } from '../support/harness/wait';
import { useTimeSkippingEnv } from '../support/household';

const testEnv = useTimeSkippingEnv();
const regisseur = pro('p-vt-1', 'veilig-thuis');

async function importOldCase(taskQueue: string): Promise<Household> {
  const today = new Date(await testEnv().currentTimeMs()).toISOString().slice(0, 10);
  return Household.start(testEnv(), taskQueue, {
    owner: regisseur,
    casusregisseur: regisseur,
    import: {
      startDate: addDays(today, -220),
      phase: 'veiligheid',
      phaseStartDate: addDays(today, -200),
      roles: [],
      dangers: [],
      scores: [],
      evidence: [],
      network: [],
    },
  });
}

const summaries = (r: Recorded) => r.notifications.filter((n) => n.kind === 'import_samenvatting');
const escalations = (r: Recorded) => r.notifications.filter((n) => n.level > 0);

test('an old import sends one summary, escalates nothing during review and climbs after it; no invite in the past', async () => {
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv());
  await worker.runUntil(async () => {
    const hh = await importOldCase(taskQueue);
    const receivedAt = hh.start.receivedAt;
    let view = await hh.advance(DAY);
    expect(view.escalationLevel).toBe(0);
    await eventually(
      () => summaries(recorded).length,
      (n) => n === 1,
    );
    const [summary] = summaries(recorded);
    expect(summary!.recipients.professionals).toEqual([regisseur]);
    expect(summary!.reason).toMatch(/Dit ontbreekt nog/);
    expect(summary!.reason).toContain('R-13');
    expect(summary!.since).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The mail carries a signed single-use link to confirm the import, for the casusregisseur only.
    expect(summary!.actions).toEqual([{ action: 'import_bevestigen', for: [regisseur.professionalId] }]);
    // The status label while the review lasts.
    expect(view.importReview?.label).toMatch(/^geïmporteerd — in controle tot \d{1,2} \S+ \d{4}$/);
    view = await hh.advance(12 * DAY);
    expect(view.escalationLevel).toBe(0);
    expect(view.importReview).toBeDefined();
    expect(escalations(recorded)).toEqual([]);
    expect(summaries(recorded)).toHaveLength(1);
    for (const n of recorded.notifications) if (n.meetingAt) expect(n.meetingAt > receivedAt).toBe(true);
    for (const p of view.plan) if (p.meetingAt) expect(p.meetingAt > receivedAt).toBe(true);
    view = await hh.advance(3 * DAY);
    expect(view.escalationLevel).toBeGreaterThan(0);
    // The review is over: no label any more.
    expect(view.importReview).toBeUndefined();
    await eventually(
      () => escalations(recorded).length,
      (n) => n > 0,
    );
    expect(escalations(recorded).every((n) => n.level === 1)).toBe(true);
    expect(summaries(recorded)).toHaveLength(1);
  });
});

test('confirmImport by the casusregisseur ends the review early: the ladder starts then', async () => {
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv());
  await worker.runUntil(async () => {
    const hh = await importOldCase(taskQueue);
    let view = await hh.advance(DAY);
    expect(view.escalationLevel).toBe(0);
    view = await hh.cmd('confirmImport', actorOf(regisseur), {});
    expect(view.state.importReview?.confirmedAt).toBeDefined();
    expect(view.importReview).toBeUndefined();
    view = await hh.advance(DAY);
    expect(view.escalationLevel).toBeGreaterThan(0);
    await eventually(
      () => escalations(recorded).length,
      (n) => n > 0,
    );
  });
});
