/**
 * Households for the benchmark: intake bodies as an intake system sends them (README, test/api),
 * the workflow input the API builds from them (api/routes/households.ts, api/temporal.ts), and a
 * mixed population for the list and memory figures.
 */
import type { Client } from '@temporalio/client';
import { householdIdFor } from '../../api/ids';
import { type StartInput } from '../../domain/intake';
import { IntakeInput } from '../../domain/schemas/intake';
import type { Policy } from '../../domain/policy';
import { addDays, amsterdamDay } from '../../domain/time';
import { TASK_QUEUE, WORKFLOW_TYPE, type HouseholdWorkflowInput } from '../../workflows/messages';

export const INTAKE_ORG = 'veilig-thuis';
export const OWNER = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };
export const REGISSEUR = { professionalId: 'p-lt-1', organisation: 'lokaal-team' };
export const PRO_ACTOR = { ...OWNER, kind: 'professional' as const };

/** The README's first intake: a child and a parent, reported by the police, with the owner of phase Veiligheid. */
export function intakeBody(reference: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    reference,
    source: 'instantie',
    reportingOrganisation: 'politie',
    members: [
      { ref: 'kind-1', isChild: true },
      { ref: 'ouder-1', isChild: false },
    ],
    owner: OWNER,
    ...extra,
  };
}

/** The workflow input exactly as the intake route builds it (body parsed by the same schema). */
export function startInput(idSecret: Buffer, body: Record<string, unknown>, policy: Policy, at = new Date()): HouseholdWorkflowInput {
  const intake = IntakeInput.parse(body);
  const householdId = householdIdFor(idSecret, INTAKE_ORG, intake.reference);
  const start: StartInput = { householdId, organisation: INTAKE_ORG, intake, receivedAt: at.toISOString() };
  return { kind: 'start', start, policy };
}

/** The household id the API gives an intake of this reference by the bench's intake organisation. */
export const householdIdOf = (idSecret: Buffer, reference: string) => householdIdFor(idSecret, INTAKE_ORG, reference);

/** Starts the workflow as api/temporal.ts does (same id policies), without waiting for anything. */
export async function bareStart(client: Client, input: HouseholdWorkflowInput): Promise<string> {
  if (input.kind !== 'start') throw new Error('start input expected');
  const id = input.start.householdId;
  await client.workflow.start(WORKFLOW_TYPE, {
    taskQueue: TASK_QUEUE,
    workflowId: id,
    args: [input],
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  return id;
}

export const DANGER = {
  statement: 'Bij ruzie slaat een ouder; het kind raakt in paniek.',
  safetyGoal: 'Ruzies lopen zonder geweld af; iedereen weet wie te bellen.',
};

/**
 * A mixed population, by index:
 *  0: new report without owner (Afstemming, R-02 pending);
 *  1: Veiligheid since today, owner and one danger (commands can score at once, nothing due);
 *  2: Veiligheid since 20 days, child not yet spoken to (R-13 overdue: escalated, mails at start);
 *  3: Risico gestuurd since 40 days with casusregisseur and a danger (R-32/R-36 deadlines).
 */
export function populationBody(reference: string, i: number, today = amsterdamDay(new Date())): Record<string, unknown> {
  const members = [
    { ref: 'kind-1', isChild: true },
    { ref: 'ouder-1', isChild: false },
  ];
  const base = { reference, source: 'instantie', reportingOrganisation: 'politie', members };
  const danger = (definedAt: string) => ({ id: 'g1', priority: 1, ...DANGER, definedAt });
  switch (i % 4) {
    case 0:
      return base;
    case 1:
      return {
        ...base,
        owner: OWNER,
        import: { startDate: today, phase: 'veiligheid', phaseStartDate: today, dangers: [danger(today)] },
      };
    case 2: {
      const d = addDays(today, -20);
      return { ...base, owner: OWNER, import: { startDate: d, phase: 'veiligheid', phaseStartDate: d } };
    }
    default: {
      const d = addDays(today, -40);
      return {
        ...base,
        owner: OWNER,
        casusregisseur: REGISSEUR,
        import: { startDate: addDays(d, -30), phase: 'risicogestuurd', phaseStartDate: d, dangers: [danger(addDays(d, -30))] },
      };
    }
  }
}

/** Population members that can take a score for danger g1 at once. */
export const canScore = (i: number) => i % 4 === 1;
