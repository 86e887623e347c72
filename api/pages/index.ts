/**
 * The dashboard: server-rendered Dutch pages without any script (a strict content policy allows
 * none), for coordinators, professionals and intake staff. Each page is declared with page()
 * (api/pages/page.ts: reader, scope, parsing, audit, errors) in the file of what it shows:
 *
 *   /dashboard                  overview of running households with region-wide figures (overview.ts)
 *   /dashboard/households/:id   one household, after login or with ?token= from a mail (household.ts)
 *   /dashboard/taken            "mijn taken" of a professional, after login or ?token= (tasks.ts)
 *   /dashboard/impact(.csv)     the impact report (impact.ts)
 *   /dashboard/login, /logout   a session from an API key (login.ts)
 *   /acties/:household/:token   the short form of an action link (actions.ts, forms.ts), or the
 *                               follow-up after closure of a 'nameting' link (follow-up.ts)
 *   /dashboard/households/:id/veiligheidsplan...  printable plan, child's version, comparison, PDF (plan-print.ts)
 *   /log/:token                 a family member's personal log link (log-links.ts)
 */
import type express from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Policy } from '../../domain/policy';
import type { DirectoryNames } from '../../platform/directory';
import { html } from '../../platform/html';
import type { AuditStore } from '../../platform/store/audit';
import type { UsedActionLinks } from '../../platform/store/action-links';
import type { FollowUpStore } from '../../platform/store/follow-up';
import type { ImpactStore } from '../../platform/store/impact-rows';
import type { LogLinks } from '../../platform/store/log-links';
import type { SummaryStore } from '../../platform/store/summaries';
import type { TextStore } from '../../platform/store/texts';
import type { RefusedAttempts } from '../guards';
import type { HouseholdService } from '../household-service';
import { actionPages } from './actions';
import { assetPages } from './assets';
import { followUpPage } from './follow-up';
import { notice } from './frame';
import { householdPages, type HouseholdPageDeps } from './household';
import { logbookPages } from './logbook';
import { impactPages } from './impact';
import { logLinkAdminPages, logLinkPages, logLinkSection } from './log-links';
import { loginPages } from './login';
import type { PersonalLoginDeps } from './personal-login';
import { overviewPages } from './overview';
import { planPrintPages } from './plan-print';
import { ACTIONS, DASHBOARD, finishPages, LOG, pageRouter, sendPage, type PageContext } from './page';
import { Readers } from './readers';
import type { Sessions } from './session';
import { tasksPages } from './tasks';

export { ACTIONS, DASHBOARD, LOG } from './page';

export interface PagesDeps {
  households: HouseholdService;
  summaries: SummaryStore;
  used: UsedActionLinks;
  audit: AuditStore;
  refused: RefusedAttempts;
  policy: Policy;
  now: () => Date;
  linkSecret: Buffer;
  /** Derives household ids from intake references: the overview's search. */
  idSecret: Buffer;
  pagingSecret: Buffer;
  sessions: Sessions;
  /** Failed logins per address per minute. */
  failedLoginsPerMinute: number;
  /** Personal login (api/pages/personal-login.ts); when set, API keys open no page. */
  personal?: PersonalLoginDeps;
  /** Requests to action links per address per minute. */
  actionRequestsPerMinute: number;
  impact: ImpactStore;
  /** People and organisations by name, for showing only. */
  names: DirectoryNames;
  /** Follow-up after closure (issue 22): its links and scores, and the texts store for the explanations. */
  followUps: FollowUpStore;
  texts: TextStore;
  /** The family's personal log links (issue 21). */
  logLinks: LogLinks;
  /** Where Routekaart is reached from outside: log links and their QR codes point there. */
  publicUrl: string;
  /** The closed trajectory a re-report links to (issue 22), shown on the household page. */
  previousTrajectory: HouseholdPageDeps['previousTrajectory'];
}

/** Too many requests per address on a link's page: a Dutch page, not a bare 429. */
function perMinute(limit: number): express.RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    handler: (_req, res) =>
      sendPage(
        res,
        429,
        'Even wachten',
        html`<h1>Even wachten</h1>${notice('error', 'Te veel verzoeken in korte tijd; probeer het over een minuut opnieuw.')}`,
      ),
  });
}

export function createPages(deps: PagesDeps): { dashboard: express.Router; actions: express.Router; log: express.Router } {
  const { households, audit, refused, linkSecret, now, policy } = deps;
  const readers = new Readers({ sessions: deps.sessions, linkSecret, now, used: deps.used, dashboard: DASHBOARD });
  const context = (mount: string): PageContext => ({ router: pageRouter(), mount, readers, households, audit, refused, names: deps.names });

  const dashboard = context(DASHBOARD);
  assetPages(dashboard);
  loginPages(dashboard, deps);
  overviewPages(dashboard, deps);
  const logLinkDeps = { households, links: deps.logLinks, texts: deps.texts, linkSecret, policy, now, publicUrl: deps.publicUrl };
  // Before the household's forms: their POST /households/:id/:form would take these paths.
  logLinkAdminPages(dashboard, logLinkDeps);
  planPrintPages(dashboard, { names: deps.names, logLinks: logLinkSection(logLinkDeps) });
  householdPages(dashboard, { linkSecret, policy, now, names: deps.names, previousTrajectory: deps.previousTrajectory });
  logbookPages(dashboard, { policy, names: deps.names });
  tasksPages(dashboard, deps);
  impactPages(dashboard, deps);
  finishPages(dashboard.router, 'Deze pagina bestaat niet.');

  const actions = context(ACTIONS);
  // Guessing tokens gets nowhere (HMAC), but nobody gets to try quickly either.
  actions.router.use(perMinute(deps.actionRequestsPerMinute));
  const followUp = followUpPage({ followUps: deps.followUps, texts: deps.texts, used: deps.used, now });
  actionPages(actions, { households, used: deps.used, linkSecret, policy, now, dashboard: DASHBOARD, followUp });
  finishPages(actions.router, 'Deze link is onvolledig.');

  const log = context(LOG);
  log.router.use(perMinute(deps.actionRequestsPerMinute));
  logLinkPages(log, logLinkDeps);
  finishPages(log.router, 'Deze link is onvolledig.');
  return { dashboard: dashboard.router, actions: actions.router, log: log.router };
}
