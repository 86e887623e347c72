/**
 * The action pages: `/acties/<household>/<token>` opens the one short form a signed action link
 * allows (platform/links.ts), for the one person and household it was made for. The form runs the
 * same commands as the API, as workflow updates with the method's validators; the domain checks
 * them first so a refusal is shown next to the field it concerns, with its rule. A link works once
 * and until it expires: its nonce is consumed before its commands run, so of two submits (or two
 * spellings of one token) exactly one runs anything; after that the page says so.
 */
import { CommandSchemas } from '../../domain/schemas/commands';
import { applyCommand } from '../../domain/commands';
import type { Actor, HouseholdState } from '../../domain/model';
import type { Policy } from '../../domain/policy';
import { MethodRefusal } from '../../domain/refusal';
import { html } from '../../platform/html';
import { linkExpiry, signHouseholdLink } from '../../platform/links';
import type { UsedActionLinks } from '../../platform/store/action-links';
import { toApiError } from '../errors';
import type { HouseholdService } from '../household-service';
import { formError, type Errors, type Values } from './fields';
import type { FollowUpPage } from './follow-up';
import { ACTION_FORMS, type ActionForm, type FormContext, type PlannedCommand } from './forms';
import { notice } from './frame';
import { linkActor } from './offers';
import { page, type PageContext, type PageReply } from './page';
import { PageRefusal, type ActionReader } from './readers';

export interface ActionPagesDeps {
  households: HouseholdService;
  used: UsedActionLinks;
  linkSecret: Buffer;
  policy: Policy;
  now: () => Date;
  /** Where the dashboard is mounted (the household page after a form). */
  dashboard: string;
  /** The follow-up after closure (issue 22): a link of its own kind, answered from our database. */
  followUp: FollowUpPage;
}

/** Every body checked by its schema and the domain, in order, on the state as it is now. */
function dryRun(commands: PlannedCommand[], state: HouseholdState, actor: Actor, now: Date, policy: Policy): Errors {
  const errors: Errors = {};
  let s = state;
  for (const c of commands) {
    const parsed = CommandSchemas[c.type].safeParse(c.body);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors[c.fieldOf(issue.path.join('.'))] ??= issue.message;
      continue;
    }
    try {
      s = applyCommand(s, c.type, parsed.data, actor, now, policy);
    } catch (err) {
      if (!(err instanceof MethodRefusal)) throw err;
      errors[c.fieldOf(err.field ?? '')] ??= `${err.message} (${err.rule})`;
    }
  }
  return errors;
}

function formPage(status: number, f: ActionForm, c: FormContext, values: Values, errors: Errors): PageReply {
  return {
    status,
    title: f.title(c),
    body: html`<p class="muted">Huishouden <span class="ref">${c.claims.householdId}</span></p>
<h1>${f.title(c)}</h1>${f.intro(c)}${formError(errors)}
<form method="post" class="form-grid card" novalidate>
${f.fields(c, values, errors)}
<div><button type="submit" class="button">${f.submitLabel}</button></div>
</form>`,
  };
}

export function actionPages(ctx: PageContext, deps: ActionPagesDeps): void {
  const householdPage = (id: string) => `${deps.dashboard}/households/${encodeURIComponent(id)}`;

  async function handle(reader: ActionReader, values: Values | undefined): Promise<PageReply> {
    // A closed household's follow-up: its trajectory has ended, the answers go to our database.
    if (reader.claims.action === 'nameting') return deps.followUp(reader, values);
    const { caller, claims, useKey } = reader;
    const ids = await deps.households.readIds(claims.householdId);
    // The same check as the offers on the pages (R-64): who may act through this link now.
    const actor = linkActor(claims.sub, claims.action, ids);
    if (!actor)
      throw new PageRefusal(403, 'forbidden', 'U bent niet meer betrokken bij dit huishouden; deze link werkt daarom niet meer (R-64).', {
        reason: 'not_involved',
        reader: caller,
        householdId: claims.householdId,
        linkPage: { next: householdPage(claims.householdId) },
      });
    const view = await deps.households.withTexts(ids);
    const f = ACTION_FORMS[claims.action as keyof typeof ACTION_FORMS];
    const c: FormContext = { claims, view, now: deps.now(), policy: deps.policy };
    const settled = f.settled?.(c);
    if (settled) return { title: f.title(c), body: html`<h1>${f.title(c)}</h1>${notice('info', settled)}` };
    if (!values) return formPage(200, f, c, {}, {});
    const planned = f.plan(c, values);
    const errors = Object.keys(planned.errors).length ? planned.errors : dryRun(planned.commands, ids.state, actor, c.now, deps.policy);
    if (Object.keys(errors).length) return formPage(422, f, c, values, errors);
    // Consumed before anything runs: a second submit, another spelling or another process finds it used.
    if (!(await deps.used.consume(useKey)))
      throw new PageRefusal(410, 'link_invalid', 'Deze link is al gebruikt: elke link werkt één keer.', {
        reason: 'used',
        reader: caller,
        householdId: claims.householdId,
        linkPage: { next: householdPage(claims.householdId) },
      });
    let after = view;
    for (const [i, command] of planned.commands.entries()) {
      const body = CommandSchemas[command.type].parse(command.body);
      try {
        // One update id per link and command: after a crash or a retry nothing runs twice.
        const updateId = `actie:${useKey}:${i}`;
        // Only the last command's household is shown: the ones before it need no read after them.
        if (i < planned.commands.length - 1)
          await deps.households.receipt(claims.householdId, command.type, { actor, body } as never, updateId);
        else after = await deps.households.command(claims.householdId, command.type, { actor, body } as never, updateId);
      } catch (err) {
        const e = toApiError(err);
        if (e.status !== 409) throw err;
        // A refused first update wrote nothing: the link is given back, to correct and try again.
        if (i === 0) await deps.used.release(useKey);
        const done = i > 0 ? ` De eerste ${i} onderdelen zijn wel vastgelegd; deze link is daarmee gebruikt.` : '';
        return formPage(409, f, c, values, { _form: `${e.message}${e.extra.rule ? ` (${e.extra.rule})` : ''}${done}` });
      }
    }
    const readLink = `${householdPage(claims.householdId)}?token=${signHouseholdLink(deps.linkSecret, {
      householdId: claims.householdId,
      sub: claims.sub,
      exp: linkExpiry(deps.now(), 1),
    })}`;
    return {
      title: 'Vastgelegd',
      body: html`<h1>${f.title(c)}</h1>${notice('ok', f.done(c, after))}<p><a href="${readLink}">Naar het huishouden</a></p>`,
    };
  }

  const path = '/:householdId/:token';
  page(ctx, { method: 'get', path, reader: 'action-link', audit: true }, ({ reader }) => handle(reader, undefined));
  page(
    ctx,
    { method: 'post', path, reader: 'action-link', audit: true, form: { limit: '64kb', parameterLimit: 200 } },
    ({ reader, form }) => handle(reader, form),
  );
}
