/**
 * The action pages: `/acties/<household>/<token>` opens the one short form a signed action link
 * allows (platform/links.ts), for the one person and household it was made for. The form runs the
 * same commands as the API, as workflow updates with the method's validators; the domain checks
 * them first so a refusal is shown next to the field it concerns, with its rule. A link works once
 * and until it expires; after that the page says so and offers to log in.
 */
import express from 'express';
import type { Request, Response } from 'express';
import { CommandSchemas } from '../../domain/command-schemas';
import { applyCommand } from '../../domain/commands';
import type { Actor, HouseholdState } from '../../domain/model';
import type { Policy } from '../../domain/policy';
import { MethodRefusal } from '../../domain/refusal';
import { involvedProfessionals } from '../../domain/selectors';
import type { HouseholdView } from '../../domain/view';
import { html, type SafeHtml } from '../../platform/html';
import { actionTokenExpired, linkExpiry, signHouseholdLink, verifyAction, type ActionClaims } from '../../platform/links';
import type { AuditStore } from '../../platform/store/audit';
import { tokenHash, type UsedActionLinks } from '../../platform/store/action-links';
import { ApiError, toApiError } from '../errors';
import type { HouseholdService } from '../household-service';
import { formError, type Errors, type Values } from './fields';
import { ACTION_FORMS, type ActionForm, type FormContext, type PlannedCommand } from './forms';
import { frame, notice } from './frame';

export interface ActionPagesDeps {
  households: HouseholdService;
  used: UsedActionLinks;
  audit: AuditStore;
  linkSecret: Buffer;
  policy: Policy;
  now: () => Date;
  /** Where the dashboard is mounted (login, household page, stylesheet). */
  dashboard: string;
}

type Claims = ActionClaims & { householdId: string };

/** A refusal of the link itself: the page says why and what to do instead. */
class LinkRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly householdId?: string,
  ) {
    super(message);
  }
}

/** Who acts through the link: the professional it was made for while still involved, or a lead for an escalation. */
function actorOf(claims: Claims, view: HouseholdView): Actor {
  if (claims.sub.startsWith('lead:')) {
    const organisation = claims.sub.slice('lead:'.length);
    if (claims.action === 'escalatie' && view.organisations.includes(organisation))
      return { professionalId: claims.sub, organisation, kind: 'professional' };
  } else {
    const p = involvedProfessionals(view.state).find((x) => x.professionalId === claims.sub);
    if (p) return { professionalId: p.professionalId, organisation: p.organisation, kind: 'professional' };
  }
  throw new LinkRefused(403, 'U bent niet meer betrokken bij dit huishouden; deze link werkt daarom niet meer (R-64).', claims.householdId);
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

export function actionPages(deps: ActionPagesDeps): express.Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });

  function page(res: Response, status: number, title: string, body: SafeHtml, who?: string): void {
    res
      .status(status)
      .type('html')
      .send(frame({ title, base: deps.dashboard, who }, body));
  }

  function refusedPage(res: Response, err: LinkRefused): void {
    const next = err.householdId ? `${deps.dashboard}/households/${encodeURIComponent(err.householdId)}` : deps.dashboard;
    page(
      res,
      err.status,
      'Link werkt niet',
      html`<h1>Deze link werkt niet</h1>${notice('error', err.message)}
<p><a class="button" href="${deps.dashboard}/login?next=${encodeURIComponent(next)}">Inloggen met uw API-sleutel</a></p>
<p class="muted">Na het inloggen vindt u het huishouden en uw taken in het dashboard. Elke herinnering bevat ook een nieuwe link.</p>`,
    );
  }

  /** The claims of a token that may still be used under this household. */
  async function open(req: Request): Promise<{ claims: Claims; hash: string }> {
    const token = String(req.params.token);
    const claims = verifyAction(deps.linkSecret, token, deps.now());
    if (!claims) {
      if (actionTokenExpired(deps.linkSecret, token))
        throw new LinkRefused(410, 'Deze link is verlopen. Links in mails gelden twee weken.', String(req.params.householdId));
      throw new LinkRefused(403, 'Deze link is ongeldig: hij is niet door Routekaart gemaakt of onderweg veranderd.');
    }
    if (claims.action === 'taken' || !claims.householdId) throw new LinkRefused(403, 'Deze link opent geen formulier.');
    if (claims.householdId !== req.params.householdId)
      throw new LinkRefused(403, 'Deze link hoort bij een ander huishouden en werkt alleen daar.');
    const hash = tokenHash(token);
    if (await deps.used.isUsed(hash)) throw new LinkRefused(410, 'Deze link is al gebruikt: elke link werkt één keer.', claims.householdId);
    return { claims: claims as Claims, hash };
  }

  async function audited(req: Request, claims: Claims, status: number): Promise<void> {
    await deps.audit.append({
      who: { link: claims.sub, role: 'link' },
      what: { method: req.method, route: '/acties/:householdId/:token', householdId: claims.householdId, status },
    });
  }

  function formPage(res: Response, status: number, f: ActionForm, c: FormContext, values: Values, errors: Errors): void {
    page(
      res,
      status,
      f.title(c),
      html`<p class="muted">Huishouden <span class="ref">${c.claims.householdId}</span></p>
<h1>${f.title(c)}</h1>${f.intro(c)}${formError(errors)}
<form method="post" class="form-grid card" novalidate>
${f.fields(c, values, errors)}
<div><button type="submit" class="button">${f.submitLabel}</button></div>
</form>`,
      c.claims.sub,
    );
  }

  async function handle(req: Request, res: Response, submit: boolean): Promise<void> {
    let claims: Claims | undefined;
    try {
      const opened = await open(req);
      claims = opened.claims;
      const ids = await deps.households.readIds(claims.householdId);
      const actor = actorOf(claims, ids);
      const view = await deps.households.withTexts(ids);
      const f = ACTION_FORMS[claims.action as keyof typeof ACTION_FORMS];
      const c: FormContext = { claims, view, now: deps.now(), policy: deps.policy };
      const settled = f.settled?.(c);
      if (settled) {
        await audited(req, claims, 200);
        return page(res, 200, f.title(c), html`<h1>${f.title(c)}</h1>${notice('info', settled)}`, claims.sub);
      }
      if (!submit) {
        await audited(req, claims, 200);
        return formPage(res, 200, f, c, {}, {});
      }
      const values = (req.body ?? {}) as Values;
      const planned = f.plan(c, values);
      const errors = Object.keys(planned.errors).length ? planned.errors : dryRun(planned.commands, ids.state, actor, c.now, deps.policy);
      if (Object.keys(errors).length) {
        await audited(req, claims, 422);
        return formPage(res, 422, f, c, values, errors);
      }
      let after = view;
      for (const [i, command] of planned.commands.entries()) {
        const body = CommandSchemas[command.type].parse(command.body);
        try {
          // One update id per link and command: a second submit, or one after a crash, runs nothing twice.
          after = await deps.households.command(claims.householdId, command.type, { actor, body } as never, `actie:${opened.hash}:${i}`);
        } catch (err) {
          const e = toApiError(err);
          if (e.status !== 409) throw err;
          const done = i > 0 ? ` De eerste ${i} onderdelen zijn wel vastgelegd.` : '';
          await audited(req, claims, 409);
          return formPage(res, 409, f, c, values, { _form: `${e.message}${e.extra.rule ? ` (${e.extra.rule})` : ''}${done}` });
        }
      }
      await deps.used.markUsed(opened.hash);
      await audited(req, claims, 200);
      const readLink = `${deps.dashboard}/households/${encodeURIComponent(claims.householdId)}?token=${signHouseholdLink(deps.linkSecret, {
        householdId: claims.householdId,
        sub: claims.sub,
        exp: linkExpiry(deps.now(), 1),
      })}`;
      page(
        res,
        200,
        'Vastgelegd',
        html`<h1>${f.title(c)}</h1>${notice('ok', f.done(c, after))}<p><a href="${readLink}">Naar het huishouden</a></p>`,
        claims.sub,
      );
    } catch (err) {
      if (err instanceof LinkRefused) {
        if (claims) await audited(req, claims, err.status).catch(() => undefined);
        return refusedPage(res, err);
      }
      const e = err instanceof ApiError ? err : toApiError(err);
      if (claims) await audited(req, claims, e.status).catch(() => undefined);
      page(res, e.status, 'Niet gelukt', html`<h1>Dat lukte niet</h1>${notice('error', e.message)}`);
    }
  }

  router.get('/:householdId/:token', (req, res) => handle(req, res, false));
  router.post('/:householdId/:token', form, (req, res) => handle(req, res, true));
  return router;
}
