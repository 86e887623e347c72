/**
 * Figure: mail under kill -9 in the middle of a burst (issue 19). N households started while no
 * worker runs, whose mails all fall due at once when two workers come up (imported cases in phase
 * Veiligheid for three months without a child conversation: R-13 at level 3 and R-62, 17 mails
 * each), as on a month boundary; one worker killed with SIGKILL at a random moment early in the
 * burst, while the SMTP receiver answers every mail at once as a real server does. A mail the server accepted just before the kill and that was not yet marked sent is sent
 * again by the other worker with the same Message-ID: that is the duplicate counted here.
 *
 * Reported: mails, duplicates and their rate, lost mails (never more than 0), mails that came under
 * two Message-IDs (never), and how long mails spent between the server's 250 and the sent-log's
 * mark (the crash window). The receiver is test/mail/support's, which keeps whole mails and the
 * connection errors a killed sender causes.
 */
import { DEFAULT_MAX_IN_FLIGHT } from '../../../activities/mail/transport';
import { Policy } from '../../../domain/schemas/policy';
import { addMonths, amsterdamDay, monthOf } from '../../../domain/time';
import { describeTally, tallyDeliveries } from '../../../test/mail/support/deliveries';
import { readMail } from '../../../test/mail/support/mime';
import { startSmtp, type ReceivedMail } from '../../../test/mail/support/smtp';
import { bareStart, OWNER, REGISSEUR, startInput } from '../households';
import { sleep } from '../../../test/support/harness/wait';
import { log } from '../lifecycle';
import { runLoad } from '../load';
import { BENCH_POLICY_OVERRIDES, type Stack } from '../stack';

export interface KillBurstOptions {
  households: number;
  concurrency: number;
  /** Cache of the worker started again afterwards (the other figures run on one worker). */
  workerCache: number;
}

export async function measureKillBurst(stack: Stack, o: KillBurstOptions) {
  const smtp = await startSmtp();
  let killer: NodeJS.Timeout | undefined;
  try {
    // A short attempt, so the dead worker's mails are retried within a minute.
    const policy = Policy.parse({ ...BENCH_POLICY_OVERRIDES, mailAttemptSeconds: 10 });
    // Every household starts while no worker runs; then two workers come up and all their mail falls due at once.
    await stack.stopWorkers();
    const month = monthOf(amsterdamDay(new Date()));
    const since = `${addMonths(month, -3)}-01`;
    const body = (i: number) => ({
      reference: `BENCH-${stack.tag}-kill-${i}`,
      source: 'instantie',
      reportingOrganisation: 'politie',
      members: [{ ref: 'kind-1', isChild: true }],
      owner: OWNER,
      casusregisseur: REGISSEUR,
      import: { startDate: since, phase: 'veiligheid', phaseStartDate: since },
    });
    const ids = new Set<string>();
    const parsed = new WeakMap<ReceivedMail, ReturnType<typeof readMail>>();
    const mailOf = (m: ReceivedMail) => parsed.get(m) ?? parsed.set(m, readMail(m.raw)).get(m)!;
    const ours = () => smtp.received.filter((m) => ids.has(mailOf(m).header('x-routekaart-household') ?? ''));

    const setup = await runLoad(o.households, o.concurrency, async (i) => {
      ids.add(await bareStart(stack.client, startInput(stack.idSecret, body(i), policy)));
    });
    if (setup.errors) throw new Error(`kill burst: ${setup.errors} starts failed, e.g. ${setup.errorExamples.join(' | ')}`);
    const workers = await stack.restartWorkers(2, o.workerCache, { SMTP_PORT: String(smtp.port) });
    // The kill: a random moment (up to 300 ms) after as many mails arrived as there are households.
    let burstAt = 0;
    let killedAt = 0;
    killer = setInterval(() => {
      if (burstAt || smtp.received.length < o.households) return;
      burstAt = Date.now();
      clearInterval(killer);
      setTimeout(() => {
        killedAt = Date.now();
        workers[0]!.child.kill('SIGKILL');
      }, Math.random() * 300);
    }, 5);

    // Settled: nothing claimed, every household as many mails as the one with most, nothing new for 5 s.
    const rowsOf = () =>
      stack.db.query<{ message_id: string; sent_at: Date; state: string }>(
        "SELECT message_id, sent_at, state FROM mail_sent WHERE split_part(idempotency_key, ':', 1) = ANY($1)",
        [[...ids]],
      );
    let last = { received: -1, at: Date.now() };
    const deadline = Date.now() + Math.max(180_000, o.households * 1000);
    for (;;) {
      await sleep(1000);
      const rows = await rowsOf();
      const perHousehold = new Map<string, Set<string>>();
      for (const m of ours()) {
        const mail = mailOf(m);
        const h = mail.header('x-routekaart-household') ?? '';
        perHousehold.set(h, (perHousehold.get(h) ?? new Set()).add(mail.messageId));
      }
      const counts = [...ids].map((id) => perHousehold.get(id)?.size ?? 0);
      if (smtp.received.length !== last.received) last = { received: smtp.received.length, at: Date.now() };
      const settled =
        killedAt > 0 &&
        rows.every((r) => r.state === 'sent') &&
        Math.min(...counts) === Math.max(...counts) &&
        Date.now() - last.at > 5_000;
      if (settled) break;
      if (Date.now() > deadline)
        throw new Error(`kill burst: not settled (${rows.length} rows, per household ${Math.min(...counts)}..${Math.max(...counts)})`);
    }
    const mails = ours();
    const tally = tallyDeliveries(
      mails,
      (await rowsOf()).filter((r) => r.state === 'sent'),
    );
    log(`${stack.engine.name}: kill burst: ${o.households} households, ${describeTally(tally)}`);
    return {
      households: o.households,
      mailsPerHousehold: tally.mails / o.households,
      mails: tally.mails,
      duplicates: tally.duplicates,
      duplicateRatePercent: tally.mails ? Math.round((tally.duplicates / tally.mails) * 10_000) / 100 : 0,
      lost: tally.markedNotReceived.length,
      acceptedNotMarked: tally.receivedNotMarked.length,
      underTwoMessageIds: tally.splitMails.length,
      acceptedToMarkedMs: tally.windowMs,
      killedAfterArrivals: o.households,
      killDelayMs: killedAt - burstAt,
      settledAfterKillS: Math.round((last.at - killedAt) / 1000),
      receiverErrors: smtp.errors.map((e) => e.code ?? e.message),
      sendConcurrency: Number(process.env.MAIL_SEND_CONCURRENCY ?? DEFAULT_MAX_IN_FLIGHT),
    };
  } finally {
    clearInterval(killer);
    await stack.restartWorkers(1, o.workerCache);
    await smtp.close();
  }
}
