/**
 * The limits of domain/limits.ts applied to commands that record something: a command is refused
 * when the state it leads to passes one of them, each naming its limit (the API answers 409
 * 'limit_reached'). They are admission rules, checked by the workflow's update validator only: a
 * validator does not run again on replay, so a command a recorded history accepted stays accepted.
 * Commands that move a household towards safety or end it are never checked (domain/safety-commands.ts).
 */
import type { CommandBody } from './schemas/commands';
import { refuse } from './command-checks';
import { LIMIT_RULES, LIMITS, stateBytes } from './limits';
import { EVIDENCE_ITEMS, type EvidenceItem, type EvidenceSpec } from './evidence-items';
import type { HouseholdState } from './model';
import type { RecordCommand } from './record-commands';
import { addDays, amsterdamDay } from './time';

/** Items the method asks for again and again (R-36 monthly, R-60 and R-63 throughout); the others are recorded a few times. */
function recurs(item: EvidenceItem): boolean {
  const spec: EvidenceSpec = EVIDENCE_ITEMS[item];
  return spec.throughout === true || item === 'netwerkberaad';
}

function evidenceLimits(next: HouseholdState, body: CommandBody<'recordEvidence'>, today: string): void {
  const spec = EVIDENCE_ITEMS[body.item];
  const sameItem = next.evidence.filter((e) => e.item === body.item);
  const perItem = recurs(body.item) ? LIMITS.evidence.perRecurringItem : LIMITS.evidence.perItem;
  if (sameItem.length > perItem)
    refuse(
      LIMIT_RULES.evidencePerItem,
      `${spec.label} (${spec.rule}) is al ${perItem} keer vastgelegd, het maximum voor dit onderdeel.`,
      [],
      'item',
    );
  for (const member of body.members ?? []) {
    if (sameItem.filter((e) => e.members?.includes(member)).length > LIMITS.evidence.perMemberPerItem)
      refuse(
        LIMIT_RULES.evidencePerMember,
        `${spec.label} (${spec.rule}) is voor '${member}' al ${LIMITS.evidence.perMemberPerItem} keer vastgelegd, het maximum per gezinslid.`,
        [],
        'members',
      );
  }
  // Imported history arrives in one go at the intake; the brake is for what is recorded day by day.
  // A UTC date before yesterday cannot be today in Amsterdam: the cheap test first, the calendar for the rest.
  const yesterday = addDays(today, -1);
  const recordedToday = next.evidence.filter(
    (e) => e.recordedBy !== 'import' && e.recordedAt.slice(0, 10) >= yesterday && amsterdamDay(new Date(e.recordedAt)) === today,
  );
  if (recordedToday.length > LIMITS.evidence.perDay)
    refuse(
      LIMIT_RULES.evidencePerDay,
      `Vandaag zijn al ${LIMITS.evidence.perDay} bewijsstukken voor dit huishouden vastgelegd, het maximum per dag; leg de rest morgen vast.`,
    );
}

/** Refuses a recording command whose resulting state `next` passes a limit; `today` is the Amsterdam day of now. */
export function withinLimits<K extends RecordCommand>(next: HouseholdState, type: K, body: CommandBody<K>, today: string): void {
  if (type === 'recordEvidence') evidenceLimits(next, body as CommandBody<'recordEvidence'>, today);
  if (next.network.length > LIMITS.network)
    refuse(LIMIT_RULES.network, `Het netwerk van dit huishouden telt al ${LIMITS.network} mensen, het maximum.`);
  if (next.members.length > LIMITS.members)
    refuse(LIMIT_RULES.members, `Dit huishouden telt al ${LIMITS.members} gezinsleden, het maximum.`);
  // The backstop behind the limits above: the state stays far from Temporal's payload limits.
  const bytes = stateBytes(next);
  if (bytes > LIMITS.stateBytes)
    refuse(
      LIMIT_RULES.stateBytes,
      `De gegevens van dit huishouden zouden ${bytes} bytes worden, boven de grens van ${LIMITS.stateBytes} bytes; de opdracht is niet uitgevoerd. Overdrachten, rollen, faseovergangen en afsluiten blijven mogelijk.`,
    );
}
