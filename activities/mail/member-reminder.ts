/**
 * Issue 21, R-20: the reminder to the household or network member who checks an agreement of the
 * safety plan, sent first, before the casusregisseur hears of the missed check. It reaches them
 * through their personal log link: the address they gave for it (encrypted in Routekaart's
 * database, read only when the mail is made, never in workflow history) and the link itself, so
 * that one tap opens their page of the safety log. A member without a usable link with an address
 * gets no mail; the casusregisseur's own reminder follows as the policy says.
 *
 * The text is for a family member or a neighbour: plain Dutch, no rule ids, no names, no case
 * details; which agreement it is, they see behind the link.
 */
import type { NotificationRequest } from '../../domain/notifications';
import { logLinkUrl } from '../../platform/links';
import type { LogLinks } from '../../platform/store/log-links';
import type { TextStore } from '../../platform/store/texts';
import type { ResolvedRecipient } from '../directory';
import { p, renderBlocks, todo, type Block } from './blocks';
import { envelope, sentKey } from './compose';
import { deliverOnce } from './deliver-once';
import type { Failure } from './failures';
import type { MailSetup, SendResult } from './setup';
import { formatDutch } from '../../domain/time';

/** Where a member is reached: their address and a fresh link to their page of the safety log. */
export interface MemberReach {
  address: string;
  url: string;
  validUntil: Date;
}

/** Looks a member up at send time; undefined when no unrevoked, unexpired link with an address exists. */
export type MemberLinks = (householdId: string, member: string, now: Date) => Promise<MemberReach | undefined>;

/** The lookup over the log links and the encrypted texts (the worker wires it; tests may pass their own). */
export function memberLinks(links: LogLinks, texts: TextStore, linkSecret: Buffer, publicUrl: string): MemberLinks {
  return async (householdId, member, now) => {
    const link = await links.reachable(householdId, member, now);
    if (!link?.addressRef) return undefined;
    const address = (await texts.open(householdId, [link.addressRef])).get(link.addressRef);
    if (!address) return undefined;
    const exp = Math.floor(link.expiresAt.getTime() / 1000);
    return { address, url: logLinkUrl(publicUrl, linkSecret, { householdId, linkId: link.linkId, exp }), validUntil: link.expiresAt };
  };
}

export function renderMemberReminder(m: { url: string; validUntil: Date }) {
  const subject = 'Veiligheidslogboek: hoe ging het met de afspraak?';
  const blocks: Block[] = [
    p('Beste,'),
    p(
      'U helpt dit gezin door na te gaan of een afspraak uit het veiligheidsplan wordt nagekomen. In het veiligheidslogboek staat daar nog niets over. Wilt u kort opschrijven hoe het ging: goed, bijna mis maar op tijd opgevangen, of mis?',
    ),
    todo([
      'open de link hieronder; u ziet dan de afspraken die u controleert en uw eigen eerdere regels.',
      'lukt het niet, of maakt u zich zorgen? Neem dan contact op met de hulpverlener die u deze link gaf.',
    ]),
    { kind: 'button', label: 'Naar mijn veiligheidslogboek', href: m.url },
    { kind: 'small', text: `De link is persoonlijk en geldig tot ${formatDutch(m.validUntil.toISOString())}. Stuur hem niet door.` },
    { kind: 'rule' },
    { kind: 'small', text: 'Dit bericht is automatisch verstuurd en bevat geen namen of gegevens van het gezin.' },
  ];
  return { subject, ...renderBlocks(subject, 'Veiligheidslogboek', '#1f2933', blocks) };
}

/** The members' mails of one request: each at most once, by the request's key and the member's address. */
export async function sendMemberReminders(
  setup: MailSetup,
  req: NotificationRequest,
  members: string[],
): Promise<{ result: SendResult; failures: Failure[] }> {
  const result: SendResult = { sent: 0, skipped: 0, queued: 0 };
  const failures: Failure[] = [];
  const now = setup.clock();
  for (const member of members) {
    const reach = setup.members ? await setup.members(req.householdId, member, now) : undefined;
    if (!reach) {
      // Pseudonymous: the household id and the member's ref, never an address.
      setup.once().logger.info('No log link with an address for this member; the casusregisseur follows', {
        householdId: req.householdId,
        member,
      });
      result.skipped++;
      continue;
    }
    const r: ResolvedRecipient = {
      address: reach.address,
      name: '',
      roles: [],
      sub: member,
      ref: `lid:${member}`,
      digest: false,
      notes: [],
    };
    const outcome = await deliverOnce(
      {
        key: sentKey(req.idempotencyKey, reach.address),
        idempotencyKey: req.idempotencyKey,
        recipient: r.ref,
        mail: () =>
          envelope(setup.sender, r, renderMemberReminder(reach), req.idempotencyKey, {
            'X-Routekaart-Household': req.householdId,
            'X-Routekaart-Kind': req.kind,
          }),
        fileStem: `${req.householdId}-${req.kind}-${sentKey(req.idempotencyKey, reach.address).slice(0, 16)}`,
      },
      setup.once(),
      { householdId: req.householdId, kind: req.kind, rule: req.rule },
    );
    const failure = setup.tally(result, outcome);
    if (failure) failures.push(failure);
  }
  return { result, failures };
}
