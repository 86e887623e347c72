/**
 * Who is reading a page: a dashboard session (api/pages/session.ts), or a signed link from a mail
 * (platform/links.ts) for one household, for one's task list, or for one action form. A link that
 * does not hold is refused here with its reason (forged, variant, expired, used, ...), and with
 * the person it was made for whenever its signature holds, so that the audit line can say whose
 * link was misused.
 */
import type { Request } from 'express';
import { checkAction, checkHouseholdLink, checkLogLink, type ActionClaims, type LogLinkClaims } from '../../platform/links';
import { nonceKey, type UsedActionLinks } from '../../platform/store/action-links';
import type { Visibility } from '../../platform/store/summaries';
import type { Caller } from '../access';
import { ApiError, type ErrorCode } from '../errors';
import type { Sessions } from './session';

export type ReaderKind = 'none' | 'session' | 'household-link' | 'task-link' | 'action-link' | 'log-link';
export type KeyCaller = Extract<Caller, { via: 'key' }>;
type LinkCaller = Extract<Caller, { via: 'link' }>;

/** The professional whose task list is shown, through a session or their mail's link. */
export interface TaskReader {
  professionalId: string;
  organisation?: string;
  caller: Caller;
  viaLink: boolean;
}

/** An action link that may still be used under its household, and the key its use is consumed under. */
export interface ActionReader {
  caller: LinkCaller;
  claims: ActionClaims & { householdId: string };
  useKey: string;
}

/** A family member's personal log link (issue 21): signed for one household and one link row. */
export interface LogLinkReader {
  caller: LinkCaller;
  claims: LogLinkClaims;
}

export interface ReaderOf {
  none: undefined;
  session: KeyCaller;
  'household-link': Caller;
  'task-link': TaskReader;
  'action-link': ActionReader;
  'log-link': LogLinkReader;
}

/** A refused reader or link: why (a code for the audit line), and who, when that is known. */
export class PageRefusal extends ApiError {
  readonly reason: string;
  readonly reader?: Caller;
  readonly householdId?: string;
  /** Shown as a refused link with a way to log in, returning to this page. */
  readonly linkPage?: { next: string };

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    details: { reason: string; reader?: Caller; householdId?: string; linkPage?: { next: string } },
  ) {
    super(status, code, message);
    this.reason = details.reason;
    this.reader = details.reader;
    this.householdId = details.householdId;
    this.linkPage = details.linkPage;
  }
}

/** What a key's holder may list: coordinators everything, intake keys what their organisation started, professionals their organisation's. */
export function visibilityOf(c: KeyCaller): Visibility {
  if (c.kind === 'coordinator') return {};
  return c.kind === 'intake' ? { intakeOrganisation: c.organisation } : { organisation: c.organisation };
}

export interface ReadersDeps {
  sessions: Sessions;
  linkSecret: Buffer;
  now: () => Date;
  used: UsedActionLinks;
  /** Where the dashboard is mounted, for the way back after logging in. */
  dashboard: string;
}

type Resolved = { reader: unknown; caller?: Caller; householdId?: string } | 'login';

const linkCaller = (sub: string, householdId: string): LinkCaller => ({ via: 'link', sub, householdId });

/** Who a log link's audit lines name: the link's random id, never the member it was made for. */
export const logLinkSub = (linkId: string) => `logboek:${linkId}`;

export class Readers {
  constructor(private readonly deps: ReadersDeps) {}

  /** The reader of this kind, 'login' when a session is needed and absent; throws a PageRefusal. */
  async resolve(kind: ReaderKind, req: Request): Promise<Resolved> {
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    switch (kind) {
      case 'none':
        return { reader: undefined };
      case 'session':
        return this.session(req);
      case 'household-link':
        return token ? this.householdLink(token, String(req.params.id)) : this.session(req);
      case 'task-link':
        return token ? this.taskLink(token) : this.taskSession(req);
      case 'action-link':
        return this.actionLink(String(req.params.householdId), String(req.params.token));
      case 'log-link':
        return this.logLink(String(req.params.token));
    }
  }

  private session(req: Request): Resolved {
    const caller = this.deps.sessions.caller(req);
    return caller ? { reader: caller, caller } : 'login';
  }

  private householdLink(token: string, householdId: string): Resolved {
    const checked = checkHouseholdLink(this.deps.linkSecret, token, this.deps.now());
    const reader = checked.claims && linkCaller(checked.claims.sub, checked.claims.householdId);
    if (!checked.ok)
      throw new PageRefusal(401, 'link_invalid', 'Deze link is ongeldig of verlopen. Log in met uw API-sleutel.', {
        reason: checked.reason,
        reader,
        householdId: checked.claims?.householdId,
      });
    if (checked.claims.householdId !== householdId)
      throw new PageRefusal(403, 'link_other_household', 'Deze link geeft alleen toegang tot het huishouden waarvoor hij is verstuurd.', {
        reason: 'other_household',
        reader,
        householdId: checked.claims.householdId,
      });
    return { reader, caller: reader, householdId };
  }

  private taskLink(token: string): Resolved {
    const checked = checkAction(this.deps.linkSecret, token, this.deps.now());
    const claims = checked.claims;
    if (!checked.ok || claims?.action !== 'taken')
      throw new PageRefusal(401, 'link_invalid', 'Deze link is ongeldig of verlopen. Log in met uw API-sleutel voor uw taken.', {
        reason: checked.ok ? 'no_task_list' : checked.reason,
        reader: claims && linkCaller(claims.sub, claims.householdId ?? ''),
      });
    const caller = linkCaller(claims.sub, '');
    return { reader: { professionalId: claims.sub, organisation: claims.ref, caller, viaLink: true } satisfies TaskReader, caller };
  }

  private taskSession(req: Request): Resolved {
    const caller = this.deps.sessions.caller(req);
    if (!caller) return 'login';
    if (caller.kind !== 'professional' || !caller.professionalId)
      throw new PageRefusal(403, 'forbidden', 'Mijn taken is er voor professionals; coördinatoren zien alles in het overzicht.', {
        reason: 'not_a_professional',
        reader: caller,
      });
    return {
      reader: { professionalId: caller.professionalId, organisation: caller.organisation, caller, viaLink: false } satisfies TaskReader,
      caller,
    };
  }

  /**
   * A personal log link: signed with its own context (a household or action link never passes
   * here, nor this one there), canonical and unexpired. Whether it is revoked, or its household
   * closed, the log page checks against its row and the household.
   */
  private logLink(token: string): Resolved {
    const checked = checkLogLink(this.deps.linkSecret, token, this.deps.now());
    const claims = checked.claims;
    const reader = claims && linkCaller(logLinkSub(claims.linkId), claims.householdId);
    if (!checked.ok)
      throw new PageRefusal(
        checked.reason === 'expired' ? 410 : 403,
        'link_invalid',
        'Deze link is ongeldig of verlopen. Vraag de casusregisseur om een nieuwe link.',
        {
          reason: checked.reason,
          reader,
          householdId: claims?.householdId,
        },
      );
    const caller = linkCaller(logLinkSub(checked.claims.linkId), checked.claims.householdId);
    return { reader: { caller, claims: checked.claims } satisfies LogLinkReader, caller, householdId: checked.claims.householdId };
  }

  /** An action link that still opens its form under this household: signed, canonical, unexpired, unused. */
  private async actionLink(pathHousehold: string, token: string): Promise<Resolved> {
    const checked = checkAction(this.deps.linkSecret, token, this.deps.now());
    const claims = checked.claims;
    const reader = claims && linkCaller(claims.sub, claims.householdId ?? '');
    const householdPage = (id?: string) => ({
      next: id ? `${this.deps.dashboard}/households/${encodeURIComponent(id)}` : this.deps.dashboard,
    });
    const refuse = (status: number, reason: string, message: string, back?: string) =>
      new PageRefusal(status, 'link_invalid', message, { reason, reader, householdId: claims?.householdId, linkPage: householdPage(back) });
    if (!checked.ok) {
      if (checked.reason === 'expired')
        throw refuse(
          410,
          'expired',
          // A follow-up link (issue 22) is valid as long as the policy's followUp.linkDays says.
          claims?.action === 'nameting' ? 'Deze link is verlopen.' : 'Deze link is verlopen. Links in mails gelden twee weken.',
          claims?.householdId,
        );
      // A respelled genuine link is as invalid as a forged one; only the audit line tells them apart.
      throw refuse(403, checked.reason, 'Deze link is ongeldig: hij is niet door Routekaart gemaakt of onderweg veranderd.');
    }
    if (checked.claims.action === 'taken' || !checked.claims.householdId) throw refuse(403, 'no_form', 'Deze link opent geen formulier.');
    if (checked.claims.householdId !== pathHousehold)
      throw refuse(403, 'other_household', 'Deze link hoort bij een ander huishouden en werkt alleen daar.');
    const useKey = nonceKey(checked.claims.nonce);
    if (await this.deps.used.isUsed(useKey))
      throw refuse(410, 'used', 'Deze link is al gebruikt: elke link werkt één keer.', checked.claims.householdId);
    const caller = linkCaller(checked.claims.sub, checked.claims.householdId);
    return {
      reader: { caller, claims: checked.claims as ActionReader['claims'], useKey } satisfies ActionReader,
      caller,
      householdId: checked.claims.householdId,
    };
  }
}
