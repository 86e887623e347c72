/**
 * Signed, expiring links from an e-mail to one household in the dashboard, as signed tokens
 * (./signed-token): anyone can read the claims (they hold only pseudonymous ids), nobody without
 * the secret can forge or extend them. The API verifies the token and must also check that `claims.householdId` equals
 * the household in the URL path; the token grants nothing beyond what `sub` may see anyway.
 */
import { z } from 'zod';
import { checkToken, signToken } from './signed-token';

export interface HouseholdLinkClaims {
  householdId: string;
  /** Who the link was made for: a professionalId, 'coordinator', or `lead:<organisation id>`. */
  sub: string;
  /** Expiry, unix seconds. */
  exp: number;
}

/** Links in mails stay valid this long (a reminder may be read after a holiday). */
export const DEFAULT_LINK_TTL_DAYS = 14;

/** Domain separation: a MAC made for another purpose with the same secret never verifies here. */
const CONTEXT = 'routekaart/household-link/v1\n';

const Claims = z.strictObject({
  householdId: z.string().min(1).max(200),
  sub: z.string().min(1).max(200),
  exp: z.number().int().positive(),
});

function checkSecret(secret: Buffer): void {
  if (!Buffer.isBuffer(secret) || secret.length < 16) throw new Error('Link secret must be at least 16 bytes');
}

export function signHouseholdLink(secret: Buffer, claims: HouseholdLinkClaims): string {
  checkSecret(secret);
  const valid = Claims.parse(claims);
  return signToken(secret, CONTEXT, { householdId: valid.householdId, sub: valid.sub, exp: valid.exp });
}

/** Why a link is refused: not made by us (or changed), another spelling of a real one, or past its expiry. */
export type LinkRefusal = 'forged' | 'variant' | 'expired';

/** Claims come with a refusal only when the signature holds, so a refusal can say whose link it was. */
export type LinkCheck<T> = { ok: true; claims: T } | { ok: false; reason: LinkRefusal; claims?: T };

function checkLink<T extends { exp: number }>(
  secret: Buffer,
  context: string,
  schema: z.ZodType<T>,
  token: string,
  now: Date,
): LinkCheck<T> {
  checkSecret(secret);
  const checked = checkToken(secret, context, schema, token);
  if (!checked.ok)
    return checked.reason === 'non_canonical' ? { ok: false, reason: 'variant', claims: checked.value } : { ok: false, reason: 'forged' };
  if (checked.value.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired', claims: checked.value };
  return { ok: true, claims: checked.value };
}

/** The claims of a valid, canonically spelled, unexpired household link, or why it is refused. */
export function checkHouseholdLink(secret: Buffer, token: string, now: Date): LinkCheck<HouseholdLinkClaims> {
  return checkLink(secret, CONTEXT, Claims, token, now);
}

/** The claims of a valid, unexpired token; null for anything else (malformed, forged, respelled, expired). */
export function verifyHouseholdLink(secret: Buffer, token: string, now: Date): HouseholdLinkClaims | null {
  const checked = checkHouseholdLink(secret, token, now);
  return checked.ok ? checked.claims : null;
}

/** Expiry (unix seconds) for a link issued at `now`. */
export function linkExpiry(now: Date, ttlDays = DEFAULT_LINK_TTL_DAYS): number {
  return Math.floor(now.getTime() / 1000) + Math.round(ttlDays * 24 * 60 * 60);
}

/** The dashboard URL of a household with a signed token for `sub`. */
export function householdLink(publicUrl: string, secret: Buffer, claims: HouseholdLinkClaims): string {
  const base = publicUrl.replace(/\/+$/, '');
  return `${base}/dashboard/households/${encodeURIComponent(claims.householdId)}?token=${signHouseholdLink(secret, claims)}`;
}

/**
 * Action links: signed, expiring, single-purpose capabilities in a mail. One token lets one
 * person (sub) do one thing (action, with its ref: a handover, an evidence item, an escalation)
 * for one household, until it expires; the action pages make it single-use by consuming its nonce
 * (platform/store/action-links.ts). 'nameting' (issue 22) is the follow-up after closure: one score
 * per danger for household or network (ref `<months>:<group>`), passed on by the casusregisseur.
 * Nothing in a token
 * is secret, nothing in it can be changed without the secret.
 */
export const ACTIONS = ['evaluatie', 'overdracht_start', 'bewijs', 'escalatie', 'taken', 'nameting', 'import_bevestigen'] as const;
export type Action = (typeof ACTIONS)[number];

export interface ActionClaims {
  /** Absent only for 'taken' (a professional's own task list). */
  householdId?: string;
  action: Action;
  sub: string;
  ref?: string;
  exp: number;
  /** Makes every link unique, so a used one never blocks another for the same thing. */
  nonce: string;
}

const ACTION_CONTEXT = 'routekaart/action-link/v1\n';

const ActionClaimsSchema = z.strictObject({
  householdId: z.string().min(1).max(200).optional(),
  action: z.enum(ACTIONS),
  sub: z.string().min(1).max(200),
  ref: z.string().min(1).max(200).optional(),
  exp: z.number().int().positive(),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{8,32}$/),
});

export function signAction(secret: Buffer, claims: ActionClaims): string {
  checkSecret(secret);
  return signToken(secret, ACTION_CONTEXT, ActionClaimsSchema.parse(claims));
}

/** The claims of a valid, canonically spelled, unexpired action token, or why it is refused. */
export function checkAction(secret: Buffer, token: string, now: Date): LinkCheck<ActionClaims> {
  return checkLink(secret, ACTION_CONTEXT, ActionClaimsSchema, token, now);
}

/** The claims of a valid, unexpired action token; null for anything else. */
export function verifyAction(secret: Buffer, token: string, now: Date): ActionClaims | null {
  const checked = checkAction(secret, token, now);
  return checked.ok ? checked.claims : null;
}

/**
 * The page of an action: `/acties/<household>/<token>` (a token only works under its own
 * household); the task list: `/dashboard/taken?token=<token>`. An empty publicUrl gives a path.
 */
export function actionLink(publicUrl: string, secret: Buffer, claims: ActionClaims): string {
  const base = publicUrl.replace(/\/+$/, '');
  const token = signAction(secret, claims);
  if (claims.action === 'taken' || !claims.householdId) return `${base}/dashboard/taken?token=${token}`;
  return `${base}/acties/${encodeURIComponent(claims.householdId)}/${token}`;
}

/**
 * The family's personal log link (issue 21, R-16): `/log/<token>` lets one member of a household
 * or its network add entries to that household's safety log and see their own, nothing else. Its
 * own context, so it never verifies as a household link or an action link (nor they as it). The
 * token names the link's row (platform/store/log-links.ts), where revocation is kept.
 */
export interface LogLinkClaims {
  householdId: string;
  linkId: string;
  exp: number;
}

const LOG_LINK_CONTEXT = 'routekaart/log-link/v1\n';

const LogLinkClaimsSchema = z.strictObject({
  householdId: z.string().min(1).max(200),
  linkId: z.string().regex(/^[A-Za-z0-9_-]{16,32}$/),
  exp: z.number().int().positive(),
});

export function signLogLink(secret: Buffer, claims: LogLinkClaims): string {
  checkSecret(secret);
  return signToken(secret, LOG_LINK_CONTEXT, LogLinkClaimsSchema.parse(claims));
}

/** The claims of a valid, canonically spelled, unexpired log link, or why it is refused. */
export function checkLogLink(secret: Buffer, token: string, now: Date): LinkCheck<LogLinkClaims> {
  return checkLink(secret, LOG_LINK_CONTEXT, LogLinkClaimsSchema, token, now);
}

/** The page of a log link; an empty publicUrl gives a path. */
export function logLinkUrl(publicUrl: string, secret: Buffer, claims: LogLinkClaims): string {
  return `${publicUrl.replace(/\/+$/, '')}/log/${signLogLink(secret, claims)}`;
}
