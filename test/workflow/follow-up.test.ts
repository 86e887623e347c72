/**
 * Follow-up after closure (issue 22) over the real workflows, time-skipping from a Tuesday 10:00
 * (test/support/clock.ts): with the policy's consent, closing a household starts its follow-up as
 * a child that outlives it; the closure's scores are kept, one request goes out at 3 and one at 6
 * months after closure (a working morning), and the follow-up ends. Without consent nothing starts.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { followUpRequestAt, type FollowUpPlan } from '../../domain/follow-up';
import { DEFAULT_POLICY } from '../../domain/policy';
import { addDays, amsterdamDay } from '../../domain/time';
import type { FollowUpRequestInput } from '../../activities/mail/follow-up';
import { actorOf, DAY, Household, pro, quietActivities } from '../support/harness/household';
import { workflowBundle } from '../support/harness/temporal';
import { eventually } from '../support/harness/wait';
import { useTimeSkippingEnv } from '../support/household';
import { followUpWorkflowId, TASK_QUEUE, type FollowUpResult } from '../../workflows/messages';

const testEnv = useTimeSkippingEnv();
const regisseur = pro('p-regie-1', 'lokaal-team');

interface Sent {
  req: FollowUpRequestInput;
  at: number;
}

/** A worker whose activities record: the household's (nothing to see here) and the follow-up's. */
async function followUpWorker() {
  const env = testEnv();
  const closure: FollowUpPlan[] = [];
  const sent: Sent[] = [];
  const taskQueue = `${TASK_QUEUE}-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: {
      ...quietActivities(),
      recordClosureScores: async (plan: FollowUpPlan) => void closure.push(plan),
      sendFollowUpRequest: async (req: FollowUpRequestInput) => {
        sent.push({ req, at: await env.currentTimeMs() });
        return { sent: 1, skipped: 0 };
      },
    },
  });
  return { worker, taskQueue, closure, sent };
}

/** A running case in Risico gestuurd with one danger scored 7 by household and network, 6 by professionals. */
async function runningCase(taskQueue: string, consent: boolean): Promise<Household> {
  const today = amsterdamDay(new Date(await testEnv().currentTimeMs()));
  const startDate = addDays(today, -120);
  const score = (group: 'huishouden' | 'netwerk' | 'professionals', value: number) => ({
    dangerId: 'd-1',
    group,
    value,
    observedBehaviour: `Waargenomen door ${group}`,
    date: addDays(today, -3),
  });
  return Household.start(
    testEnv(),
    taskQueue,
    {
      owner: regisseur,
      casusregisseur: regisseur,
      import: {
        startDate,
        phase: 'risicogestuurd',
        phaseStartDate: startDate,
        roles: [],
        dangers: [
          {
            id: 'd-1',
            priority: 1,
            statement: 'Geweld bij ruzie over geld',
            safetyGoal: 'Geen geweld',
            definedAt: startDate,
            revisions: 0,
          },
        ],
        scores: [score('huishouden', 7), score('netwerk', 8), score('professionals', 6)],
        evidence: [],
        network: [],
      },
    },
    { followUp: { consent, linkDays: 28 } },
  );
}

async function close(hh: Household): Promise<string> {
  const view = await hh.cmd('requestTransition', actorOf(regisseur), {
    to: 'afgesloten',
    justification: 'Gezin verhuisd; warm overgedragen aan het lokale team daar.',
  });
  expect(view.state.phase).toBe('afgesloten');
  return view.state.closedAt!;
}

test('with consent: the closed household ends, its follow-up asks at 3 and 6 months after closure and then ends', async () => {
  const { worker, taskQueue, closure, sent } = await followUpWorker();
  await worker.runUntil(async () => {
    const hh = await runningCase(taskQueue, true);
    await hh.advance(DAY);
    const closedAt = await close(hh);
    // The trajectory itself completes, closed; the follow-up is a workflow of its own. (Polled with
    // describe, not awaited with result(): a pending result lets the test server skip time.)
    await eventually(
      async () => (await hh.handle.describe()).status.name,
      (status) => status === 'COMPLETED',
    );
    expect((await hh.view()).state.phase).toBe('afgesloten');
    const followUp = testEnv().client.workflow.getHandle<() => Promise<FollowUpResult>>(followUpWorkflowId(hh.start.householdId));
    expect((await followUp.describe()).status.name).toBe('RUNNING');
    await eventually(
      () => closure.length,
      (n) => n === 1,
    );
    const plan = closure[0]!;
    expect(plan.recipient).toEqual(regisseur);
    expect(plan.dangers.map((d) => d.id)).toEqual(['d-1']);
    // The last scores before closure of household and network (not the professionals'); the API seals texts, so the state holds references.
    expect(plan.closureScores.map((s) => [s.group, s.value])).toEqual([
      ['huishouden', 7],
      ['netwerk', 8],
    ]);
    expect(sent).toEqual([]);

    // Nothing before the 3-month morning; the request goes out then.
    const at3 = Date.parse(followUpRequestAt(closedAt, 3, DEFAULT_POLICY.workingHours));
    await testEnv().sleep(at3 - (await testEnv().currentTimeMs()) - DAY);
    expect(sent).toEqual([]);
    await testEnv().sleep(2 * DAY);
    await eventually(
      () => sent.length,
      (n) => n === 1,
    );
    expect(sent[0]!.req).toMatchObject({ householdId: hh.start.householdId, months: 3, recipient: regisseur, linkDays: 28 });
    expect(sent[0]!.req.idempotencyKey).toBe(`${hh.start.householdId}:nameting:3`);
    expect(sent[0]!.at).toBeGreaterThanOrEqual(at3);

    // The 6-month request, and the follow-up ends.
    expect(await followUp.result()).toEqual({ requested: [3, 6], failed: [] });
    expect(sent.map((s) => s.req.months)).toEqual([3, 6]);
    const at6 = Date.parse(followUpRequestAt(closedAt, 6, DEFAULT_POLICY.workingHours));
    expect(sent[1]!.at).toBeGreaterThanOrEqual(at6);
    expect(sent[1]!.at).toBeLessThan(at6 + 4 * DAY);
    expect(new Date(at6).toISOString().slice(0, 10) > addDays(closedAt.slice(0, 10), 180)).toBe(true);
  });
});

test('without consent (the default) closing starts no follow-up', async () => {
  const { worker, taskQueue, closure } = await followUpWorker();
  await worker.runUntil(async () => {
    const hh = await runningCase(taskQueue, false);
    await hh.advance(DAY);
    await close(hh);
    await hh.handle.result();
    const followUp = testEnv().client.workflow.getHandle(followUpWorkflowId(hh.start.householdId));
    await expect(followUp.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(closure).toEqual([]);
  });
});
