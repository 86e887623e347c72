/**
 * The daily digest: every reminder queued for a professional who asked for it (directory
 * `digest: true`), in one mail a day. Run once a day by a Temporal Schedule; a second run on the
 * same day (Amsterdam) sends nothing new to an address that already had its digest: the digest's
 * key and Message-ID are derived from the address and the day, just like a notification's.
 */
import type { ProfessionalRef } from '../../domain/model';
import { amsterdamDay, formatDutch } from '../../domain/time';
import { resolveRecipients, type ResolvedRecipient } from '../directory';
import { envelope, phaseLabel, sentKey } from './compose';
import { deliverOnce } from './deliver-once';
import { throwForFailures, type Failure } from './failures';
import type { MailSetup, SendResult } from './setup';
import { renderDigest, type MailKind } from './templates';

/** A reminder waiting for a professional's daily digest: pseudonymous ids and the workflow's Dutch reason only. */
export interface DigestEntry {
  idempotencyKey: string;
  householdId: string;
  kind: MailKind;
  rule: string;
  reason: string;
  since: string;
  phase: string;
  professional: ProfessionalRef;
}

export function digestSender(setup: MailSetup) {
  return async function sendDigests(): Promise<SendResult & { reminders: number }> {
    const now = setup.clock();
    const day = amsterdamDay(now);
    const dir = setup.directory();
    const pending = await setup.store.pendingDigests<DigestEntry>();
    const groups = new Map<string, { r: ResolvedRecipient; entries: (DigestEntry & { k: string })[] }>();
    for (const { key, entry: e } of pending) {
      const [r] = resolveRecipients(dir, { professionals: [e.professional], organisationLeads: [], coordinator: false });
      if (!r) continue;
      const g = groups.get(r.address) ?? { r, entries: [] };
      g.entries.push({ ...e, k: key });
      groups.set(r.address, g);
    }
    const result = { sent: 0, skipped: 0, queued: 0, reminders: 0 };
    const failures: Failure[] = [];
    const idempotencyKey = `digest:${day}`;
    for (const { r, entries } of groups.values()) {
      if (failures.some((f) => f.unreachable)) break;
      const k = sentKey(idempotencyKey, r.address);
      entries.sort((a, b) => a.since.localeCompare(b.since) || a.householdId.localeCompare(b.householdId));
      const outcome = await deliverOnce(
        {
          key: k,
          idempotencyKey,
          recipient: r.ref,
          mail: () =>
            envelope(
              setup.sender,
              r,
              renderDigest({
                day: formatDutch(day),
                recipient: { name: r.name, roles: r.roles, organisationName: r.organisationName, notes: r.notes },
                linkValidUntil: setup.linkValidUntil(now),
                items: entries.map((e) => ({
                  householdId: e.householdId,
                  kind: e.kind,
                  rule: e.rule,
                  reason: setup.names.inText(e.reason),
                  since: formatDutch(e.since),
                  phase: phaseLabel(e.phase),
                  link: setup.link(e.householdId, r.sub, now),
                })),
              }),
              idempotencyKey,
              { 'X-Routekaart-Kind': 'dagoverzicht' },
            ),
          fileStem: `digest-${day}-${k.slice(0, 16)}`,
          delivered: entries.map((e) => e.k),
        },
        setup.once(),
        { digest: day },
      );
      const failure = setup.tally(result, outcome);
      if (failure) failures.push(failure);
      if (outcome.kind === 'sent') result.reminders += entries.length;
    }
    setup.count('dagoverzicht', result, failures);
    throwForFailures('Digest', failures, groups.size, result);
    return result;
  };
}
