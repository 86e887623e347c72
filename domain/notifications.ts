/**
 * What the workflow asks the mail and webhook activities to do. Recipients are named by role
 * and organisation, never by address: the activities resolve addresses from the directory
 * (configuration), so no e-mail address or name travels through workflow history.
 */
import type { Deadline, NotificationKind, Remedy } from './deadlines';
import { EVIDENCE_ITEMS, type EvidenceItem } from './evidence-items';
import type { ProfessionalRef } from './model';

export type EscalationLevel = 0 | 1 | 2 | 3;

/**
 * Mails about something that happened rather than something due: an override for the coordinator
 * and the two ends of a warm handover: the request to the incoming professional, the
 * start to the outgoing one; and the coordinator's decisions (section 6) to whom they concern. They
 * go out once, never into the daily digest.
 */
export const EVENT_KINDS = ['override', 'overdracht_gevraagd', 'overdracht_gestart', 'afwijking_beoordeeld', 'escalatie_besluit'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const isEventKind = (kind: string): kind is EventKind => (EVENT_KINDS as readonly string[]).includes(kind);

export interface Recipients {
  /** The responsible professionals (outgoing and incoming during a handover, R-24). */
  professionals: ProfessionalRef[];
  /** Level 2: the leads of these organisations (their teamleider / gedragswetenschapper). */
  organisationLeads: string[];
  /** Level 2: the trajectory's gedragswetenschapper, when assigned. */
  gedragswetenschapper?: ProfessionalRef;
  /** Level 3 and overrides: the regional coordinator. */
  coordinator: boolean;
  /** Issue 21: household or network members, reached through their personal log link (its address). */
  members?: string[];
}

export interface NotificationRequest {
  /** Derived from household and event (cause key, level, due time): identical on every retry and replay. */
  idempotencyKey: string;
  householdId: string;
  kind: NotificationKind | EventKind;
  rule: string;
  /** 0: reminder; 1..3: escalation level. */
  level: EscalationLevel;
  /** Dutch: what is due and why. */
  reason: string;
  /** Since when it is due (ISO instant). */
  since: string;
  recipients: Recipients;
  /** Meetings carry an invite for this instant. */
  meetingAt?: string;
  phase: string;
  /** What recipients can do from the mail: each becomes a signed action link per recipient. */
  actions?: MailAction[];
  /** The intake system's own reference, shown to recipients of the intake organisation only. */
  intake?: { organisation: string; reference: string };
}

/** A form a recipient can open from the mail: a remedy of the cause, or acknowledging the escalation. */
export type MailAction = Remedy | { action: 'escalatie'; ref: string } | ImportConfirmation;

/** Issue 22: the import summary's link to confirm the import, for whoever runs the trajectory. */
export interface ImportConfirmation {
  action: 'import_bevestigen';
  ref?: undefined;
  for: string[];
}

/** The remedy of the cause, and from level 1 on acknowledging the escalation (professionals, and leads from level 2). */
export function actionsFor(d: Pick<Deadline, 'key' | 'remedy'>, level: EscalationLevel): MailAction[] {
  const out: MailAction[] = [];
  if (d.remedy) out.push(d.remedy);
  if (level > 0) out.push({ action: 'escalatie', ref: d.key });
  return out;
}

/** The Dutch label of an action, the same on the mail's button and on the pages. */
export function actionLabel(a: MailAction): string {
  switch (a.action) {
    case 'evaluatie':
      return 'Scores van deze maand invullen';
    case 'overdracht_start':
      return 'Start van de overdracht bevestigen';
    case 'bewijs':
      return a.ref && Object.hasOwn(EVIDENCE_ITEMS, a.ref)
        ? `${EVIDENCE_ITEMS[a.ref as EvidenceItem].label} vastleggen`
        : 'Bewijs vastleggen';
    case 'escalatie':
      return 'Escalatie bevestigen met een plan';
    case 'import_bevestigen':
      return 'Import bevestigen';
  }
}

/**
 * The actions open to one professional on a household's plan: the remedy of every cause they are
 * responsible for (only the incoming professional confirms a handover), and acknowledging what
 * has escalated. One monthly evaluation covers every danger.
 */
export function actionsOf(
  plan: readonly { key: string; level: number; responsible: readonly string[]; remedy?: Remedy }[],
  professionalId: string,
): MailAction[] {
  const out: MailAction[] = [];
  const seen = new Set<string>();
  const add = (a: MailAction) => {
    const id = `${a.action}:${a.ref ?? ''}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(a);
  };
  for (const p of plan) {
    if (!p.responsible.includes(professionalId)) continue;
    if (p.remedy && (!p.remedy.for || p.remedy.for.includes(professionalId))) add({ action: p.remedy.action, ref: p.remedy.ref });
    if (p.level > 0) add({ action: 'escalatie', ref: p.key });
  }
  return out;
}

export interface WebhookEvent {
  idempotencyKey: string;
  householdId: string;
  /** The organisation whose intake system started the household; its webhook receives the event. */
  organisation: string;
  intakeReference: string;
  type: 'fase' | 'rol' | 'escalatie' | 'plan.version' | 'plan.approved' | 'log.entry';
  occurredAt: string;
  data: Record<string, string | number | boolean | null>;
}

/** The ladder of ROUTEKAART.md section 6: professional, then organisation lead / gedragswetenschapper, then coordinator. */
export function recipientsFor(
  d: Pick<Deadline, 'responsible' | 'members'>,
  level: EscalationLevel,
  gedragswetenschapper?: ProfessionalRef,
  fallbackOrganisation?: string,
): Recipients {
  // A member's own reminder (issue 21) goes to them alone: it never escalates and never falls back to a lead.
  if (d.members?.length) return { professionals: [], organisationLeads: [], coordinator: false, members: d.members };
  const orgs = [...new Set(d.responsible.map((p) => p.organisation))];
  const noOne = d.responsible.length === 0;
  return {
    professionals: d.responsible,
    // Nobody responsible yet: the reporting organisation's lead hears from the start.
    organisationLeads: level >= 2 || noOne ? (orgs.length ? orgs : fallbackOrganisation ? [fallbackOrganisation] : []) : [],
    gedragswetenschapper: level >= 2 ? gedragswetenschapper : undefined,
    coordinator: level >= 3,
  };
}
