/**
 * Nothing lost, nothing twice, through the real workflow and the real mail activity against a real
 * SMTP server on loopback, with time skipped: an SMTP outage shorter than the retry window is
 * delivered afterwards exactly once; a longer one raises an escalation, which resolves once mail
 * flows again.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { DAY, Household, terminateAll } from '../support/harness/household';
import { timeSkippingEnv, workflowBundle } from '../support/harness/temporal';
import { eventually } from '../support/harness/wait';
import { TASK_QUEUE } from '../../workflows/messages';
import { nextWorkingMoment } from '../../domain/calendar';
import { DEFAULT_POLICY } from '../../domain/policy';
import { ADDR, ILSE, removeTempDirs, smtpDeps } from './support/fixtures';
import { MailStore } from '../../platform/store/mail';
import { FollowUpStore } from '../../platform/store/follow-up';
import { SummaryStore } from '../../platform/store/summaries';
import { SummaryWriter } from '../../platform/store/summary-writer';
import { WebhookLog } from '../../platform/store/webhooks';
import { freshDatabase } from '../support/database';
import type { Database } from '../../platform/db/database';
import { startSmtp, type SmtpCatcher } from './support/smtp';

const HOUR = 60 * 60 * 1000;
let env: TestWorkflowEnvironment;
let smtp: SmtpCatcher;
beforeEach(async () => {
  env = await timeSkippingEnv();
  smtp = await startSmtp();
}, 60_000);
afterEach(async () => {
  await terminateAll();
  await env?.teardown();
  await smtp?.close();
});
afterAll(() => removeTempDirs());

async function mailWorker() {
  const db = await freshDatabase();
  const taskQueue = `${TASK_QUEUE}-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({
      mail: smtpDeps(smtp.port, new MailStore(db), { now: () => new Date() }),
      weekly: { ...smtpDeps(smtp.port, new MailStore(db)), summaries: new SummaryStore(db), policy: DEFAULT_POLICY },
      followUp: { ...smtpDeps(smtp.port, new MailStore(db)), followUps: new FollowUpStore(db) },
      webhook: { endpoints: () => undefined, log: new WebhookLog(db) },
      readModel: { summaries: new SummaryWriter(db), textRefKey: Buffer.alloc(32, 7), endpoints: () => undefined },
    }),
  });
  return { worker, taskQueue, db };
}

/** The next moment in the household's read-model row. */
async function rowNextDeadline(db: Database, hh: Household): Promise<number | undefined> {
  const [row] = await db.query<{ next_deadline: Date | null }>('SELECT next_deadline FROM household_summaries WHERE household_id = $1', [
    hh.start.householdId,
  ]);
  return row?.next_deadline ? new Date(row.next_deadline).getTime() : undefined;
}

/** When the R-13 reminder of a household goes out: its planned moment, moved into working hours. */
async function reminderMoment(hh: Household): Promise<number> {
  const remindAt = (await hh.view()).plan.find((p) => p.kind === 'kindgesprek')!.remindAt!;
  return Date.parse(nextWorkingMoment(remindAt, DEFAULT_POLICY.workingHours));
}

/** The R-13 reminders to Ilse (other causes may remind her too, depending on the calendar). */
const toIlse = () =>
  smtp.received.filter((m) => m.envelopeTo.includes(ADDR.ilse) && m.raw.toString('utf8').includes('Gesprek met het kind'));

test('SMTP refusing for most of a day: the R-13 reminder arrives afterwards, exactly once', async () => {
  const { worker, taskQueue, db } = await mailWorker();
  await worker.runUntil(async () => {
    smtp.mode = { kind: 'refuse', code: 451, at: 'rcpt' };
    const hh = await Household.start(env, taskQueue, { owner: ILSE, casusregisseur: ILSE });
    // The R-13 reminder goes out 3 days before day 14, at 09:00 Amsterdam on a working day.
    const reminderAt = await reminderMoment(hh);
    await hh.advance(reminderAt + HOUR - (await env.currentTimeMs()));
    await eventually(
      () => smtp.refusals,
      (n) => n > 0,
    );
    expect(toIlse()).toHaveLength(0);
    // Issue 23: the reminder's step wrote its read-model row in the mail's activity, before the refusal.
    const next = Date.parse((await hh.view()).nextDeadline!);
    expect(next).toBeGreaterThan(reminderAt);
    expect(await rowNextDeadline(db, hh)).toBe(next);
    await hh.advance(20 * HOUR); // 21 hours of refusals, within the 26-hour retry window
    expect(toIlse()).toHaveLength(0);
    smtp.mode = { kind: 'accept' };
    await hh.advance(2 * HOUR);
    await eventually(
      () => toIlse().length,
      (n) => n === 1,
      30_000,
    );
    await hh.advance(HOUR);
    expect(toIlse()).toHaveLength(1);
    expect(toIlse()[0]!.raw.toString('utf8')).toContain('R-13');
    const view = await hh.view();
    expect(view.state.escalations.filter((e) => e.key.startsWith('mail:'))).toEqual([]);
  });
}, 120_000);

test('SMTP down for longer than the retry window: an escalation is raised, and resolves once mail flows again', async () => {
  const { worker, taskQueue } = await mailWorker();
  await worker.runUntil(async () => {
    smtp.mode = { kind: 'refuse', code: 421, at: 'rcpt' };
    const hh = await Household.start(env, taskQueue, { owner: ILSE, casusregisseur: ILSE });
    await hh.advance((await reminderMoment(hh)) + 2 * HOUR - (await env.currentTimeMs()));
    await hh.advance(27 * HOUR); // past the 26-hour window of the first reminder
    const view = await eventually(
      () => hh.view(),
      (v) => v.state.escalations.some((e) => e.key.startsWith('mail:')),
      30_000,
    );
    const failure = view.state.escalations.find((e) => e.key.startsWith('mail:'))!;
    expect(failure.level).toBe(3);
    expect(failure.resolvedAt).toBeUndefined();
    expect(view.escalationLevel).toBe(3);
    smtp.mode = { kind: 'accept' };
    await hh.advance(2 * DAY); // the next planned mail (R-13 overdue) goes through
    const after = await eventually(
      () => hh.view(),
      (v) => v.state.escalations.find((e) => e.key === failure.key)?.resolvedAt !== undefined,
      30_000,
    );
    expect(after.state.escalations.find((e) => e.key === failure.key)?.resolvedAt).toBeDefined();
    expect(toIlse().length).toBeGreaterThanOrEqual(1);
  });
}, 120_000);
