/**
 * What changed between two versions of a safety plan (issue 21), for the comparison the
 * casusregisseur prints beside the plan: agreements with their monitoring, what to do when
 * it threatens to go wrong, per child the safety person, safe object and Woord en Beeld text
 * the network's roles and the plan's owner, the linked plan.
 * Pure: the texts are given, already opened.
 */
import type { Agreement, PlanVersionInput } from './safety-plan';

export type ChangeKind = 'toegevoegd' | 'vervallen' | 'gewijzigd';

export interface PlanChange {
  kind: ChangeKind;
  /** Which part of the plan, in Dutch ("Afspraak a1", "Kind kind-1"). */
  subject: string;
  /** Which field, in Dutch ("Wat", "Veiligheidspersoon"); absent for a part added or removed whole. */
  field?: string;
  before?: string;
  after?: string;
  rule: string;
}

type Fields = Record<string, string | undefined>;

function agreementFields(a: Agreement, dangerId: string): Fields {
  return {
    Gevaar: dangerId,
    Wat: a.what,
    Wie: a.who.join(', '),
    Wanneer: a.when,
    'Wie controleert': a.monitoring.by,
    'Controle elke (dagen)': String(a.monitoring.everyDays),
    'Wie wordt ingelicht': a.monitoring.informs.join(', '),
  };
}

function compareKeyed(
  subject: (key: string) => string,
  rule: string,
  before: Map<string, Fields>,
  after: Map<string, Fields>,
  show: (f: Fields) => string,
): PlanChange[] {
  const changes: PlanChange[] = [];
  for (const [key, a] of before) if (!after.has(key)) changes.push({ kind: 'vervallen', subject: subject(key), before: show(a), rule });
  for (const [key, b] of after) {
    const a = before.get(key);
    if (!a) {
      changes.push({ kind: 'toegevoegd', subject: subject(key), after: show(b), rule });
      continue;
    }
    for (const field of new Set([...Object.keys(a), ...Object.keys(b)]))
      if ((a[field] ?? '') !== (b[field] ?? ''))
        changes.push({ kind: 'gewijzigd', subject: subject(key), field, before: a[field], after: b[field], rule });
  }
  return changes;
}

/** Every difference from version `a` to version `b`, in the plan's order: agreements, dangers, children, network, owner. */
export function comparePlanVersions(a: PlanVersionInput, b: PlanVersionInput): PlanChange[] {
  const agreements = (p: PlanVersionInput) =>
    new Map(p.dangers.flatMap((d) => d.agreements.map((x) => [x.id, agreementFields(x, d.dangerId)] as const)));
  const dangers = (p: PlanVersionInput) => new Map(p.dangers.map((d) => [d.dangerId, { 'Als het dreigt mis te gaan': d.whenItGoesWrong }]));
  const children = (p: PlanVersionInput) =>
    new Map(
      p.children.map((c) => [
        c.member,
        { Veiligheidspersoon: c.safetyPerson, 'Veilig voorwerp': c.safeObject, 'Woord en Beeld': c.woordEnBeeld } as Fields,
      ]),
    );
  const network = (p: PlanVersionInput) => new Map(p.network.map((n) => [n.memberId, { Rol: n.role }]));
  const single = (p: PlanVersionInput) =>
    new Map<string, Fields>([['plan', { 'Eigenaar van het plan': p.owner, 'Gekoppeld plan': p.linkedPlanId }]]);
  const one = (f: Fields) => Object.values(f).filter(Boolean).join(' · ');
  return [
    ...compareKeyed(
      (k) => `Afspraak ${k}`,
      'R-15',
      agreements(a),
      agreements(b),
      (f) => `${f.Wat ?? ''} (${f.Wanneer ?? ''})`,
    ),
    ...compareKeyed((k) => `Gevaar ${k}`, 'R-15', dangers(a), dangers(b), one),
    ...compareKeyed((k) => `Kind ${k}`, 'R-16', children(a), children(b), one),
    ...compareKeyed((k) => `Netwerklid ${k}`, 'R-41', network(a), network(b), one),
    ...compareKeyed(() => 'Plan', 'R-41', single(a), single(b), one),
  ];
}
