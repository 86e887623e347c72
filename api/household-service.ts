/**
 * One household as the API works with it: the workflow through Temporal (api/temporal.ts) and
 * its free texts in Routekaart's database. Commands go in with their texts stored encrypted and
 * replaced by references (the workflow state stays small); reads come out with the texts put
 * back for a caller who may read the household.
 */
import { COMMAND_TEXT_PATHS, type CommandType } from '../domain/command-schemas';
import type { StartInput } from '../domain/intake';
import { STATE_TEXT_PATHS } from '../domain/model';
import type { Policy } from '../domain/policy';
import { collectTexts, replaceTexts } from '../domain/texts';
import type { HouseholdView } from '../domain/view';
import type { ScoreCorrections } from '../platform/store/score-corrections';
import { isTextRef, type TextStore } from '../platform/store/texts';
import type { CommandArgs } from '../workflows/messages';
import type { HouseholdGateway } from './temporal';

/** Texts of an import: the running case's dangers, scores and evidence. */
const IMPORT_TEXT_PATHS = [
  'intake.import.dangers[].statement',
  'intake.import.dangers[].safetyGoal',
  'intake.import.dangers[].scaleQuestion',
  'intake.import.scores[].observedBehaviour',
  'intake.import.evidence[].note',
  'intake.import.evidence[].giApproval.approvedBy',
];

export class HouseholdService {
  constructor(
    private readonly gateway: HouseholdGateway,
    private readonly texts: TextStore,
    /** Scores replaced by a correction (one score per danger, group and month in the workflow). */
    private readonly corrections: ScoreCorrections,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Stores the texts at `paths` of `value` and returns a copy with references in their place. */
  private async seal<T>(householdId: string, value: T, paths: readonly string[]): Promise<T> {
    const found = collectTexts(value, paths).filter((t) => !isTextRef(t));
    if (found.length === 0) return value;
    const refs = await this.texts.seal(householdId, found);
    const byText = new Map<string, string>(found.map((t, i) => [t, refs[i]!]));
    return replaceTexts(value, paths, (t: string) => byText.get(t) ?? t);
  }

  /** The view with every text reference replaced by its text. */
  async withTexts(view: HouseholdView): Promise<HouseholdView> {
    const refs = collectTexts(view.state, STATE_TEXT_PATHS).filter(isTextRef);
    if (refs.length === 0) return view;
    const texts = await this.texts.open(view.state.householdId, refs);
    return { ...view, state: replaceTexts(view.state, STATE_TEXT_PATHS, (r) => texts.get(r) ?? r) };
  }

  async start(start: StartInput, policy: Policy): Promise<boolean> {
    // The intake reference as a text of its own: task lists show it to the intake organisation's people.
    await this.texts.seal(start.householdId, [start.intake.reference]);
    return this.gateway.start(await this.seal(start.householdId, start, IMPORT_TEXT_PATHS), policy);
  }

  /** Texts of one household by reference (the intake reference on task lists). */
  openTexts(householdId: string, refs: string[]): Promise<Map<string, string>> {
    return this.texts.open(householdId, refs);
  }

  /** The household as of now, texts included. */
  async read(householdId: string): Promise<HouseholdView> {
    return this.withTexts(await this.gateway.view(householdId));
  }

  /** The household as of now without its texts: for access checks, which need ids only. */
  readIds(householdId: string): Promise<HouseholdView> {
    return this.gateway.view(householdId);
  }

  async command<K extends CommandType>(householdId: string, type: K, args: CommandArgs<K>, updateId?: string): Promise<HouseholdView> {
    const body = await this.seal(householdId, args.body, COMMAND_TEXT_PATHS[type] ?? []);
    const result = await this.gateway.command(householdId, type, { ...args, body }, updateId);
    // The workflow keeps the current score only; the one it replaced stays in our database.
    if (result.corrected) await this.corrections.keep(householdId, result.corrected, this.now());
    return this.read(householdId);
  }
}
