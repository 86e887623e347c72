/**
 * Access through a signed e-mail link (signed, so nobody can forge or widen one):
 * a professional who follows the link in a reminder sees that one household without an API key.
 * The dashboard sends the token as `Authorization: Link <token>`; this middleware verifies it and
 * puts the claims in `res.locals.linkClaims`. Mount it on the one read route only
 * (GET /api/v1/households/:id), before the API-key check; every other route keeps requiring a key.
 */
import type { RequestHandler, Response } from 'express';
import { checkHouseholdLink, type HouseholdLinkClaims } from '../platform/links';
import { ApiError } from './errors';

const LINK_SCHEME = /^Link(?:[ \t]|$)/i;
const LINK_TOKEN = /^Link[ \t]+(\S+)[ \t]*$/i;

/**
 * Requests without the Link scheme pass untouched (the API-key check decides). A Link token that
 * does not verify, or that names another household than the route, is refused at once: falling
 * through to the API-key check would only answer with a less helpful message.
 */
export function linkAuth(secret: Buffer, now: () => Date): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization');
    if (!header || !LINK_SCHEME.test(header)) return next();
    const token = LINK_TOKEN.exec(header)?.[1];
    const checked = token ? checkHouseholdLink(secret, token, now()) : undefined;
    if (!checked?.ok) {
      // Why, for the audit line of refused attempts: forged, variant (a respelled real link) or expired.
      res.locals.linkRefusal = checked?.reason ?? 'forged';
      return next(
        new ApiError(401, 'link_invalid', 'Deze link is ongeldig of verlopen. Vraag een nieuwe link aan of log in met uw API-sleutel.'),
      );
    }
    const claims = checked.claims;
    const routeId = req.params.id;
    if (routeId !== undefined && routeId !== claims.householdId) {
      res.locals.linkRefusal = 'other_household';
      return next(
        new ApiError(403, 'link_other_household', 'Deze link geeft alleen toegang tot het huishouden waarvoor hij is verstuurd.'),
      );
    }
    res.locals.linkClaims = claims;
    next();
  };
}

/** The verified link claims of this request, when it came in through a signed link. */
export function linkClaimsOf(res: Response): HouseholdLinkClaims | undefined {
  return res.locals.linkClaims as HouseholdLinkClaims | undefined;
}
