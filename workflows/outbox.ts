/**
 * Everything the household workflow sends out: mails and webhooks, each once. A key that is in
 * `state.notified` was handed to its activity already (the list survives continue-as-new), so a
 * replayed or repeated step never sends twice. Activities run in the background; the main loop
 * waits for them only before continuing as new or ending.
 */
import { log, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { HouseholdState } from '../domain/model';
import type { NotificationRequest, WebhookEvent } from '../domain/notifications';
import type { Policy } from '../domain/policy';
import type { HouseholdSummary } from '../domain/summary';

export interface Run {
  state: HouseholdState;
  policy: Policy;
  now(): Date;
  /** Wakes the main loop: the state changed outside the loop. */
  touch(): void;
}

export class Outbox {
  private readonly inFlight = new Set<Promise<void>>();
  /** Webhook events of the current step, sent together by recordStep() (or flushEvents()). */
  private events: WebhookEvent[] = [];
  /** Mail of the current step, held for recordStep() so the first can carry the row (holdMailForRow). */
  private held: NotificationRequest[] | undefined;
  private readonly mail;
  private readonly hooks;
  private readonly readModel;

  constructor(private readonly run: Run) {
    this.mail = proxyActivities<Activities>({
      startToCloseTimeout: `${run.policy.mailAttemptSeconds} seconds`,
      // Nothing lost: SMTP outages are retried for more than a day, then escalated (mailFailed).
      scheduleToCloseTimeout: `${run.policy.mailRetryHours} hours`,
      retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
    });
    this.hooks = proxyActivities<Activities>({
      startToCloseTimeout: '30 seconds',
      scheduleToCloseTimeout: '7 days',
      retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
    });
    this.readModel = proxyLocalActivities<Activities>({
      startToCloseTimeout: '30 seconds',
      // The database may be away for a while: keep trying; the next change writes a newer row anyway.
      scheduleToCloseTimeout: '1 day',
      retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
    });
  }

  /** Writes the household's read-model row in the background (a newer row supersedes it); runs recorded before recordStep. */
  recordSummary(summary: HouseholdSummary): void {
    this.track(
      this.readModel
        .recordSummary(summary)
        .catch((err: unknown) => log.warn('Read model not written', { seq: summary.seq, error: String((err as Error)?.message ?? err) })),
    );
  }

  /**
   * The step's read-model row (if it changed) and its webhook events together (issue 23): the local
   * activity writes the row and names the organisations that have a webhook endpoint, and only
   * their events go to the webhook activity. Most have none, so most steps schedule no activity for
   * them. If the local activity gives up (a day without database), every event goes, and the
   * webhook activity decides as before. Mail held for the step (holdMailForRow) goes out here too.
   */
  recordStep(summary: HouseholdSummary | undefined): void {
    const events = this.takeEvents();
    const mails = this.held?.splice(0) ?? [];
    // With no events to sort, the first mail's activity writes the row: no local activity, one activation fewer.
    if (mails.length > 0 && events.length === 0) {
      mails.forEach((req, i) => this.sendMail(req, i === 0 ? summary : undefined));
      return;
    }
    for (const req of mails) this.sendMail(req);
    if (!summary && events.length === 0) return;
    const organisations = [...new Set(events.map((e) => e.organisation))];
    this.track(
      this.readModel.recordStep({ summary, organisations }).then(
        (withEndpoint) => this.deliver(events.filter((e) => withEndpoint.includes(e.organisation))),
        (err: unknown) => {
          log.warn('Read model not written', { seq: summary?.seq, error: String((err as Error)?.message ?? err) });
          this.deliver(events);
        },
      ),
    );
  }

  /**
   * Issue 23, new runs only (their command order differs): from now on a step's mail is scheduled by
   * recordStep, and a step that sends mail and has no webhook events hands its row to the first
   * mail's activity (notifyWithRow). A reminder's wake-up then costs one activity, as a bare one does.
   */
  holdMailForRow(): void {
    this.held = [];
  }

  /** Resolves once every activity started so far, and any it started in turn, has finished. */
  async drain(): Promise<void> {
    do await Promise.all([...this.inFlight]);
    while (this.inFlight.size > 0);
  }

  /** Keeps a background activity in view until it settles, so drain() can wait for it. */
  private track(work: Promise<void>): void {
    const p: Promise<void> = work.finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  notify(req: Omit<NotificationRequest, 'householdId' | 'phase'>): void {
    const s = this.run.state;
    const full: NotificationRequest = { ...req, householdId: s.householdId, phase: s.phase };
    // A key in `notified` was handed to its activity already (a replayed or repeated step).
    if (s.notified.includes(full.idempotencyKey)) return;
    s.notified.push(full.idempotencyKey);
    if (this.held) this.held.push(full);
    else this.sendMail(full);
  }

  /** One mail in the background; a mail that fails after its retries reaches the coordinator (mailFailed). */
  private sendMail(req: NotificationRequest, row?: HouseholdSummary): void {
    const sent = row ? this.mail.notifyWithRow(req, row) : this.mail.sendNotification(req);
    this.track(
      sent
        .then(() => this.mailDelivered())
        .catch((err: unknown) => {
          log.warn('Activity failed after its retries', { key: req.idempotencyKey, error: String((err as Error)?.message ?? err) });
          this.mailFailed(req);
          this.run.touch();
        }),
    );
  }

  publish(type: WebhookEvent['type'], key: string, data: WebhookEvent['data']): void {
    const s = this.run.state;
    const ev: WebhookEvent = {
      idempotencyKey: `${s.householdId}:webhook:${key}`,
      householdId: s.householdId,
      organisation: s.intake.organisation,
      intakeReference: s.intake.reference,
      type,
      occurredAt: this.run.now().toISOString(),
      data,
    };
    if (this.run.state.notified.includes(ev.idempotencyKey) || this.events.some((e) => e.idempotencyKey === ev.idempotencyKey)) return;
    this.events.push(ev);
  }

  /** The step's webhook events in one activity, for runs recorded before recordStep. */
  flushEvents(): void {
    this.deliver(this.takeEvents());
  }

  /** The step's webhook events, their keys noted as sent (fewer activities and workflow tasks per change). */
  private takeEvents(): WebhookEvent[] {
    const events = this.events;
    this.events = [];
    // A log entry's event comes from its update, which runs once (Temporal deduplicates update ids):
    // its key is not kept, or the thousands of entries of a long trajectory would fill the state.
    for (const ev of events) if (ev.type !== 'log.entry') this.run.state.notified.push(ev.idempotencyKey);
    return events;
  }

  private deliver(events: WebhookEvent[]): void {
    if (events.length === 0) return;
    this.track(
      this.hooks
        .deliverWebhooks(events)
        .catch((err: unknown) =>
          log.warn('Webhook events not delivered after their retries', { error: String((err as Error)?.message ?? err) }),
        ),
    );
  }

  /** Mail could not be delivered within the retry window: the coordinator must know (nothing lost). */
  private mailFailed(req: NotificationRequest): void {
    const s = this.run.state;
    const key = `mail:${req.idempotencyKey}`;
    if (s.escalations.some((e) => e.key === key)) return;
    const at = this.run.now().toISOString();
    s.escalations.push({
      key,
      rule: req.rule,
      level: 3,
      raisedAt: at,
      levelSince: at,
      reason: `E-mail kon niet worden afgeleverd (${req.kind}, niveau ${req.level}).`,
    });
    this.publish('escalatie', key, { level: 3, rule: req.rule, cause: 'mail_niet_afgeleverd' });
  }

  /** A delivered mail proves the mail route works again: earlier delivery escalations resolve. */
  private mailDelivered(): void {
    for (const e of this.run.state.escalations) {
      if (e.resolvedAt || !e.key.startsWith('mail:')) continue;
      e.resolvedAt = this.run.now().toISOString();
      this.publish('escalatie', `${e.key}:opgelost`, { level: 0, rule: e.rule, cause: 'opgelost' });
      this.run.touch();
    }
  }
}
