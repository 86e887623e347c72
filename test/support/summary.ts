/** A read-model row of one household (domain/summary.ts) for store and mail tests: quiet defaults, overridden per test. */
import type { HouseholdSummary } from '../../domain/summary';

export function householdRow(id: string, over: Partial<HouseholdSummary> = {}): HouseholdSummary {
  const startedAt = over.startedAt ?? '2026-03-02T09:00:00.000Z';
  return {
    householdId: id,
    seq: 1,
    intakeOrganisation: 'veilig-thuis',
    organisations: ['veilig-thuis'],
    phase: 'veiligheid',
    casusregisseur: null,
    escalationLevel: 0,
    nextDeadline: null,
    openHandover: false,
    overdue: false,
    runMonths: 0,
    activeSocialNetwork: 0,
    startedAt,
    phaseStartedAt: startedAt,
    closedAt: null,
    directSafetyAt: null,
    stableSafetyAt: null,
    phases: [],
    escalations: [],
    handovers: [],
    professionals: [],
    tasks: [],
    intakeReference: `REF-${id}`,
    aliasRef: null,
    aliasKey: null,
    importReviewEndsAt: null,
    lateEntries: [],
    ...over,
  };
}
