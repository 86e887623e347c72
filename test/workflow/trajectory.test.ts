/**
 * Whole trajectories through the real workflow on the time-skipping test server: from report to
 * closure over 18 simulated months, for a family with a child and for a vulnerable adult.
 */
import type { HouseholdMember } from '../../domain/model';
import { actorOf, DAY, Household, recordingWorker, type Recorded } from '../support/harness/household';
import { REGIE, runTrajectory, VT } from '../support/harness/trajectory';
import { eventually } from '../support/harness/wait';
import { saveHistory } from '../support/histories';
import { refusal, useTimeSkippingEnv } from '../support/household';

const testEnv = useTimeSkippingEnv();

async function refusedRules(p: Promise<unknown>): Promise<string[]> {
  const r = await refusal(p);
  return r.unmet.length ? r.unmet : [r.rule];
}

async function fullTrajectory(members: HouseholdMember[], recorded: Recorded, taskQueue: string, name: string) {
  const hh = await Household.start(testEnv(), taskQueue, { members });
  const phase = async () => (await hh.view()).state.phase;
  const checked = new Set<string>();
  const final = await runTrajectory(hh, async (milestone) => {
    checked.add(milestone);
    switch (milestone) {
      case 'owner assigned':
        // Afstemming -> Veiligheid as soon as an owner is assigned.
        expect(await phase()).toBe('veiligheid');
        break;
      case 'safety plan ready':
        // Not yet: no scores, and the direct plan not yet carried out and monitored.
        expect(await refusedRules(hh.cmd('requestTransition', actorOf(REGIE), { to: 'risicogestuurd' }))).toEqual(
          expect.arrayContaining(['R-17', 'R-18', 'R-19']),
        );
        break;
      case 'risicogestuurd':
      case 'herstel':
        expect(await phase()).toBe(milestone);
        break;
      case 'ready for herstel':
        expect((await hh.view()).unmet).toEqual([]);
        break;
    }
  });
  // Every check above ran: the trajectory stopped at each of its milestones.
  expect([...checked]).toEqual(
    expect.arrayContaining(['owner assigned', 'safety plan ready', 'risicogestuurd', 'ready for herstel', 'herstel']),
  );
  expect(final.phase).toBe('afgesloten');
  expect(final.overrides).toEqual([]);
  expect(Date.parse(final.closedAt!) - Date.parse(final.startedAt)).toBeGreaterThan(540 * DAY);
  expect(final.closedAt).toBeDefined();
  expect(final.phaseHistory.map((p) => p.phase)).toEqual(['afstemming', 'veiligheid', 'risicogestuurd', 'herstel', 'afgesloten']);

  // The intake system heard of every phase change, each exactly once.
  await eventually(
    () => recorded.webhooks.filter((w) => w.type === 'fase' && w.householdId === hh.handle.workflowId).length,
    (n) => n === 5,
  );
  const ids = recorded.webhooks.map((w) => w.idempotencyKey);
  expect(new Set(ids).size).toBe(ids.length);
  await saveHistory(hh.handle, name);
  return final;
}

test('a family with a child, from report to closure over 18 months', async () => {
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv());
  await worker.runUntil(async () => {
    const final = await fullTrajectory(
      [
        { ref: 'kind-1', isChild: true, vulnerableAdult: false },
        { ref: 'moeder', isChild: false, vulnerableAdult: false },
        { ref: 'vader', isChild: false, vulnerableAdult: false },
      ],
      recorded,
      taskQueue,
      'trajectory-family',
    );
    expect(final.scores.length).toBeGreaterThan(30);
    // Meetings went out with an invite time.
    expect(recorded.notifications.some((n) => n.kind === 'netwerkberaad' && n.meetingAt)).toBe(true);
    // No notification was requested twice.
    const keys = recorded.notifications.map((n) => n.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

test('a household without children: the kwetsbare volwassene is the one protected', async () => {
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv());
  await worker.runUntil(async () => {
    const final = await fullTrajectory(
      [
        { ref: 'partner-a', isChild: false, vulnerableAdult: true },
        { ref: 'partner-b', isChild: false, vulnerableAdult: false },
      ],
      recorded,
      taskQueue,
      'trajectory-vulnerable-adult',
    );
    expect(final.evidence.some((e) => e.item === 'woord_en_beeld')).toBe(false);
  });
});

test("R-52: closing before 12 months needs the casusregisseur's justification, which reaches the coordinator", async () => {
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv());
  await worker.runUntil(async () => {
    const hh = await Household.start(testEnv(), taskQueue, { owner: VT, casusregisseur: REGIE });
    expect(await refusedRules(hh.cmd('requestTransition', actorOf(REGIE), { to: 'afgesloten' }))).toContain('R-50');
    // The owner of phase Veiligheid may end the phase when its criteria hold, but only the casusregisseur deviates from them.
    expect(
      (await refusal(hh.cmd('requestTransition', actorOf(VT), { to: 'afgesloten', justification: 'Verhuisd naar Groningen' }))).rule,
    ).toBe('R-62');
    const view = await hh.cmd('requestTransition', actorOf(REGIE), {
      to: 'afgesloten',
      justification: 'Gezin verhuisd naar Groningen; warm overgedragen aan het lokale team daar.',
    });
    expect(view.state.phase).toBe('afgesloten');
    expect(view.state.overrides[0]?.unmet).toContain('R-50');
    const notice = await eventually(
      () => recorded.notifications.find((n) => n.kind === 'override'),
      (n) => n !== undefined,
    );
    expect(notice!.recipients.coordinator).toBe(true);
    // Phases by their Dutch names, not their codes.
    expect(notice!.reason).toContain('van Fase Veiligheid naar Afgesloten');
  });
});
