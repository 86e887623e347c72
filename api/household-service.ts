/**
 * One household as the API works with it: the workflow through Temporal (api/temporal.ts) and
 * its free texts in Routekaart's database. Commands go in with their texts stored encrypted and
 * replaced by references (the workflow state stays small); reads come out with the texts put
 * back for a caller who may read the household, and only the texts the answer holds (issue 19:
 * a five-year household has hundreds of long texts, and most reads need none of them).
 */
import { randomUUID } from 'node:crypto';
import { COMMAND_TEXT_PATHS, type CommandType } from '../domain/command-types';
import { type CommandBody } from '../domain/schemas/commands';
import { pageScores, type MonthRange } from '../domain/history-pages';
import type { StartInput } from '../domain/intake';
import { STATE_TEXT_PATHS } from '../domain/model';
import type { Policy } from '../domain/policy';
import { collectTexts, replaceTexts } from '../domain/texts';
import { addMonths, amsterdamDay, monthOf } from '../domain/time';
import type { HouseholdView } from '../domain/view';
import type { PlanStore } from '../platform/store/plans';
import type { PlanVersionInput } from '../domain/safety-plan';
import type { ScoreCorrections } from '../platform/store/score-corrections';
import { isTextRef, type TextStore } from '../platform/store/texts';
import type { CommandArgs, CommandResult } from '../workflows/messages';
import type { HouseholdGateway } from './temporal';

/** Texts of an import: the running case's dangers, scores and evidence. */
const IMPORT_TEXT_PATHS = [
  'intake.alias',
  'intake.members[].firstName',
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

/** What a command answers without the read after it: the household and its phase. */
export type CommandReceipt = Omit<CommandResult, 'corrected'>;

export class HouseholdService {
  constructor(
    private readonly gateway: HouseholdGateway,
    private readonly texts: TextStore,
    /** Scores replaced by a correction (one score per danger, group and month in the workflow). */
    private readonly corrections: ScoreCorrections,
    /** Issue 21: plan versions in full and log entries (the workflow keeps their facts). */
    readonly plans: PlanStore,
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

  /**
   * List items with the intake reference added for the intake organisation's own people only:
   * `refs` holds each household's text reference of it (the read model's, issue 22).
   */
  withOwnReferences<T extends { householdId: string; intakeOrganisation: string }>(
    organisation: string | undefined,
    items: T[],
    refs: Map<string, string>,
  ): Promise<(T & { reference?: string })[]> {
    return Promise.all(
      items.map(async (item) => {
        const ref = refs.get(item.householdId);
        if (!ref || item.intakeOrganisation !== organisation) return item;
        const reference = (await this.texts.open(item.householdId, [ref])).get(ref);
        return reference === undefined ? item : { ...item, reference };
      }),
    );
  }

  /** List items with the household's alias (issue 20), for a reader who may see these rows. */
  withAliases<T extends { householdId: string }>(items: T[], refs: Map<string, string>): Promise<(T & { alias?: string })[]> {
    return Promise.all(
      items.map(async (item) => {
        const ref = refs.get(item.householdId);
        const alias = ref ? (await this.texts.open(item.householdId, [ref])).get(ref) : undefined;
        return alias === undefined ? item : { ...item, alias };
      }),
    );
  }

  /** The household as of now without its texts: access checks, criteria and plan need none. */
  readIds(householdId: string): Promise<HouseholdView> {
    return this.gateway.view(householdId);
  }

  /** Runs the command and answers the household's first page, as GET /households/{id} does. */
  async command<K extends CommandType>(householdId: string, type: K, args: CommandArgs<K>, updateId?: string): Promise<HouseholdView> {
    await this.receipt(householdId, type, args, updateId);
    return this.page(await this.gateway.view(householdId));
  }

  /**
   * Runs the command and answers only what the update itself returns: no read of the household
   * afterwards, one round trip to the workflow fewer (`Prefer: return=minimal`, issue 23).
   */
  async receipt<K extends CommandType>(householdId: string, type: K, args: CommandArgs<K>, updateId?: string): Promise<CommandReceipt> {
    const body = await this.seal(householdId, args.body, COMMAND_TEXT_PATHS[type] ?? []);
    const result = await this.gateway.command(householdId, type, { ...args, body }, updateId);
    // The workflow keeps the current score only; the one it replaced stays in our database.
    if (result.corrected) await this.corrections.keep(householdId, result.corrected, this.now());
    await this.keepPlanRecord(householdId, type, { ...args, body } as CommandArgs<CommandType>, result.planVersion, updateId);
    return { householdId: result.householdId, phase: result.phase };
  }

  /** What the workflow keeps only as facts: a plan version's body and a log entry, texts as references. */
  private async keepPlanRecord(
    householdId: string,
    type: CommandType,
    args: CommandArgs<CommandType>,
    written: { planId: string; version: number } | undefined,
    updateId: string | undefined,
  ): Promise<void> {
    const at = this.now().toISOString();
    if (type === 'recordPlanVersion' && written) {
      const { planId: _given, ...body } = args.body as CommandBody<'recordPlanVersion'>;
      await this.plans.keepVersion(householdId, {
        ...written,
        kind: body.kind,
        body,
        recordedAt: at,
        recordedBy: args.actor.professionalId,
      });
    }
    if (type === 'addLogEntry') {
      const b = args.body as CommandBody<'addLogEntry'>;
      // A retried command (same update id) adds no second entry; without one every call is its own entry.
      await this.plans.addEntry(householdId, updateId ?? randomUUID(), {
        agreementId: b.agreementId,
        date: b.date,
        outcome: b.outcome,
        score: b.score,
        note: b.note,
        writtenBy: args.actor.professionalId,
        writtenAt: at,
      });
    }
  }

  /** One plan version as recorded, with its texts; undefined when it is not kept (recorded before issue 21's store). */
  async planVersion(householdId: string, planId: string, version: number): Promise<PlanVersionInput | undefined> {
    const kept = await this.plans.version(householdId, planId, version);
    return kept && this.opened(householdId, kept.body, COMMAND_TEXT_PATHS.recordPlanVersion ?? []);
  }

  /** The versions of a plan kept whole, oldest first. */
  planVersions(householdId: string, planId: string): Promise<number[]> {
    return this.plans.versions(householdId, planId);
  }

  /** Seals one text of a household (a note through a log link) and gives its reference. */
  async sealText(householdId: string, text: string): Promise<string> {
    return (await this.texts.seal(householdId, [text]))[0]!;
  }
}
