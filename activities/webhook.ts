/**
 * Webhooks to the intake system of the organisation that started a household, when its phase, a
 * role holder or the escalation level changes. Signed with HMAC-SHA256 over the exact body, so the
 * receiver knows the event comes from Routekaart; the event id is the workflow's deterministic
 * idempotency key, identical on every retry and replay, so receivers dedupe on it.
 *
 * Delivery is at least once: any failure throws and Temporal retries (the workflow sets the retry
 * policy). A 4xx other than 408/429 means the receiver refuses this event for good (wrong URL,
 * rejected signature): retrying would not help, so it fails without retry.
 */
import { createHmac } from 'node:crypto';
import type { Metrics } from '../platform/metrics';
import { ApplicationFailure } from '@temporalio/common';
import type { WebhookEvent } from '../domain/notifications';
import type { WebhookLog } from '../platform/store/webhooks';

export interface WebhookDeps {
  endpoints: (organisation: string) => { url: string; secret: string } | undefined;
  /** The delivery log: every attempt and its outcome. */
  log: WebhookLog;
  fetch?: typeof fetch;
  /** Per attempt; the workflow's startToCloseTimeout bounds it too. */
  timeoutMs?: number;
  metrics?: Pick<Metrics, 'webhookDeliveries'>;
}

export const SIGNATURE_HEADER = 'X-Routekaart-Signature';
export const EVENT_ID_HEADER = 'X-Routekaart-Event-Id';

/** `sha256=<hex>` of the body: what the receiver recomputes with its copy of the secret. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function createWebhookActivities(deps: WebhookDeps) {
  const doFetch = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const activities = {
    async deliverWebhook(ev: WebhookEvent): Promise<void> {
      const endpoint = deps.endpoints(ev.organisation);
      const count = (outcome: string) => deps.metrics?.webhookDeliveries.inc({ outcome });
      // An organisation without an intake system webhook simply gets no events.
      if (!endpoint) return void count('no_endpoint');
      const body = JSON.stringify(ev);
      const attempt = { eventId: ev.idempotencyKey, organisation: ev.organisation, householdId: ev.householdId, type: ev.type };
      let res: Response;
      try {
        res = await doFetch(endpoint.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            [SIGNATURE_HEADER]: webhookSignature(endpoint.secret, body),
            [EVENT_ID_HEADER]: ev.idempotencyKey,
            'User-Agent': 'Routekaart-Webhook/1',
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        // Network error or timeout: the receiver may be down for a while; Temporal retries.
        const e = err as Error & { cause?: { code?: string } };
        await deps.log.record({ ...attempt, error: e.cause?.code ?? e.name, delivered: false });
        count('failed');
        throw new Error(`Webhook for ${ev.organisation} not reachable: ${e.cause?.code ?? e.name}`);
      }
      // Drain the body so the connection can be reused; its content does not matter.
      await res.arrayBuffer().catch(() => undefined);
      await deps.log.record({ ...attempt, status: res.status, delivered: res.ok });
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
      count(res.ok ? 'delivered' : permanent ? 'rejected' : 'failed');
      if (res.ok) return;
      const message = `Webhook for ${ev.organisation} answered HTTP ${res.status}`;
      if (permanent) throw ApplicationFailure.nonRetryable(message, 'WebhookRejected');
      throw new Error(message);
    },

    /**
     * The events of one workflow step in one activity (an intake raises three): each is delivered
     * in order. A retry skips those the log already has as delivered; an event the receiver
     * rejects (4xx) is not retried and does not hold back the others.
     */
    async deliverWebhooks(events: WebhookEvent[]): Promise<void> {
      const failed: string[] = [];
      for (const ev of events) {
        // Without an endpoint there is nothing to look up: most organisations have none.
        if (deps.endpoints(ev.organisation) && (await deps.log.get(ev.idempotencyKey))?.delivered) continue;
        try {
          await activities.deliverWebhook(ev);
        } catch (err) {
          if (err instanceof ApplicationFailure && err.nonRetryable) continue;
          failed.push((err as Error).message);
        }
      }
      if (failed.length) throw new Error(`${failed.length} of ${events.length} webhook events not delivered, will retry: ${failed[0]}`);
    },
  };
  return activities;
}
