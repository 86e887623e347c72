/**
 * One household as the API works with it: the workflow through Temporal (api/temporal.ts) and
 * its free texts in Routekaart's database. Commands go in with their texts stored encrypted and
 * replaced by references (the workflow state stays small); reads come out with the texts put
 * back for a caller who may read the household, and only the texts the answer holds (issue 19:
 * a five-year household has hundreds of long texts, and most reads need none of them).
 */
import { COMMAND_TEXT_PATHS, type CommandType } from '../domain/command-schemas';
import { pageScores, type MonthRange } from '../domain/history-pages';
import type { StartInput } from '../domain/intake';
import { STATE_TEXT_PATHS } from '../domain/model';
import type { Policy } from '../domain/policy';
import { collectTexts, replaceTexts } from '../domain/texts';
import { addMonths, amsterdamDay, monthOf } from '../domain/time';
import type { HouseholdView } from '../domain/view';
import { plansOf, type PlanVersionInput } from '../domain/safety-plan';
import type { PlanVersions } from '../platform/store/plan-versions';
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

/** The view's texts: the state's, one level down. */
const VIEW_TEXT_PATHS = STATE_TEXT_PATHS.map((p) => `state.${p}`);

/** Observed behaviour one answer carries at most (whole months, the newest always): it stays well under 256 KB. */
export const SCORE_TEXT_BUDGET = 128 * 1024;

/** Months of scores one answer may span. */
export const MAX_SCORE_MONTHS = 12;

/** The months asked, with the defaults: `to` this month, `from` 11 months before `to` (or `to` 11 after `from`). */
export function monthRange(asOf: string, asked: Partial<MonthRange> = {}): MonthRange {
  const to = asked.to ?? (asked.from ? addMonths(asked.from, MAX_SCORE_MONTHS - 1) : monthOf(amsterdamDay(new Date(asOf))));
  return { from: asked.from ?? addMonths(to, -(MAX_SCORE_MONTHS - 1)), to };
}

export class HouseholdService {
  constructor(
    private readonly gateway: HouseholdGateway,
    private readonly texts: TextStore,
    /** Scores replaced by a correction (one score per danger, group and month in the workflow). */
    private readonly corrections: ScoreCorrections,
    private readonly now: () => Date = () => new Date(),
    /** Whole plan versions (issue 21): the workflow keeps facts only. */
    private readonly plans?: PlanVersions,
  ) {}

  /** Stores the texts at `paths` of `value` and returns a copy with references in their place. */
  private async seal<T>(householdId: string, value: T, paths: readonly string[]): Promise<T> {
    const found = collectTexts(value, paths).filter((t) => !isTextRef(t));
    if (found.length === 0) return value;
    const refs = await this.texts.seal(householdId, found);
    const byText = new Map<string, string>(found.map((t, i) => [t, refs[i]!]));
    return replaceTexts(value, paths, (t: string) => byText.get(t) ?? t);
  }

  /** `value` with the text references at `paths` replaced by their texts: only those are read and decrypted. */
  async opened<T>(householdId: string, value: T, paths: readonly string[]): Promise<T> {
    const refs = collectTexts(value, paths).filter(isTextRef);
    if (refs.length === 0) return value;
    const texts = await this.texts.open(householdId, refs);
    return replaceTexts(value, paths, (r) => texts.get(r) ?? r);
  }

  /** The view with every text reference replaced by its text (the dashboard's household page). */
  withTexts(view: HouseholdView): Promise<HouseholdView> {
    return this.opened(view.state.householdId, view, VIEW_TEXT_PATHS);
  }

  /**
   * The view as the API answers it: the scores of whole months in `range` (default the last 12),
   * newest first until their observed behaviour would pass SCORE_TEXT_BUDGET, and the texts of
   * that answer only. The sizes come from the database without decrypting anything.
   */
  async page(view: HouseholdView, range: MonthRange = monthRange(view.asOf)): Promise<HouseholdView> {
    const householdId = view.state.householdId;
    const asked = view.state.scores.filter((x) => monthOf(x.date) >= range.from && monthOf(x.date) <= range.to);
    const sizes = await this.texts.sizes(
      householdId,
      asked.map((x) => x.observedBehaviour),
    );
    const weight = (x: { observedBehaviour: string }) => sizes.get(x.observedBehaviour) ?? Buffer.byteLength(x.observedBehaviour);
    const { scores, page } = pageScores(view.state.scores, range, weight, SCORE_TEXT_BUDGET);
    return this.opened(householdId, { ...view, state: { ...view.state, scores }, scorePage: page }, VIEW_TEXT_PATHS);
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

  /** The household as of now without its texts: access checks, criteria and plan need none. */
  readIds(householdId: string): Promise<HouseholdView> {
    return this.gateway.view(householdId);
  }

  /** Runs the command and answers the household's first page, as GET /households/{id} does. */
  async command<K extends CommandType>(householdId: string, type: K, args: CommandArgs<K>, updateId?: string): Promise<HouseholdView> {
    const body = await this.seal(householdId, args.body, COMMAND_TEXT_PATHS[type] ?? []);
    const result = await this.gateway.command(householdId, type, { ...args, body }, updateId);
    // The workflow keeps the current score only; the one it replaced stays in our database.
    if (result.corrected) await this.corrections.keep(householdId, result.corrected, this.now());
    const after = await this.gateway.view(householdId);
    if (type === 'recordPlanVersion') await this.keepPlanVersion(after, body as CommandArgs<'recordPlanVersion'>['body']);
    return this.page(after);
  }

  /**
   * The version a recordPlanVersion just made, kept whole with its text references: the version
   * of the plan named, or else the one plan of its kind. A retried command keeps nothing twice.
   */
  private async keepPlanVersion(after: HouseholdView, body: CommandArgs<'recordPlanVersion'>['body']): Promise<void> {
    if (!this.plans) return;
    const plans = plansOf(after.state);
    const planId = body.planId ?? plans.find((p) => p.kind === body.kind)?.planId;
    const latest = plans.filter((p) => p.planId === planId).sort((a, b) => b.version - a.version)[0];
    if (!latest) return;
    const { planId: _given, ...input } = body;
    await this.plans.put(after.state.householdId, latest.planId, latest.version, input, this.now());
  }

  /** One plan version as recorded, with its texts; undefined when it is not kept (recorded before issue 21's store). */
  async planVersion(householdId: string, planId: string, version: number): Promise<PlanVersionInput | undefined> {
    const body = (await this.plans?.get(householdId, planId, version)) as PlanVersionInput | undefined;
    return body && this.opened(householdId, body, COMMAND_TEXT_PATHS.recordPlanVersion ?? []);
  }

  /** The versions of a plan kept whole, oldest first. */
  planVersions(householdId: string, planId: string): Promise<number[]> {
    return this.plans?.versions(householdId, planId) ?? Promise.resolve([]);
  }

  /** Seals one text of a household (a note through a log link) and gives its reference. */
  async sealText(householdId: string, text: string): Promise<string> {
    return (await this.texts.seal(householdId, [text]))[0]!;
  }
}
