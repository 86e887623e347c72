/**
 * Personal login through the organisation's identity provider (OpenID Connect, authorization code
 * flow with PKCE, openid-client), and the same identity as a bearer token on the API (a JWT access
 * token checked against the issuer's JWKS with jose: signature, issuer, audience, expiry).
 * Who the person is inside Routekaart (organisation, professional, coordinator) is decided by the
 * directory (api/identity/people.ts), never by the token alone.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The dashboard's callback, e.g. https://routekaart.example/dashboard/auth/callback. */
  redirectUri: string;
  /** The API's audience in access tokens. */
  audience: string;
}

/** Who logged in, as the provider says it. */
export interface Identity {
  sub: string;
  email?: string;
  name?: string;
  /** Authentication methods (RFC 8176) and class, for the second-factor rule. */
  amr: string[];
  acr?: string;
}

/** What the browser's login must bring back: kept in a short-lived signed cookie until the callback. */
export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
}

const SCOPE = 'openid profile email';
/** RFC 8176 methods and provider-specific names that mean a second factor was used. */
const SECOND_FACTOR = new Set(['mfa', 'otp', 'sms', 'hwk', 'swk', 'fido', 'pop', 'face', 'fpt', 'iris', 'retina', 'vbm', 'tel']);

/** True when the login used a second factor, by `amr` or by an `acr` that says so. */
export function hasSecondFactor(identity: Pick<Identity, 'amr' | 'acr'>): boolean {
  return identity.amr.some((m) => SECOND_FACTOR.has(m.toLowerCase())) || /mfa|2fa|multi/i.test(identity.acr ?? '');
}

const isLoopback = (url: string) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);

export class OidcClient {
  private constructor(
    private readonly config: oidc.Configuration,
    private readonly settings: OidcSettings,
    private readonly jwks: ReturnType<typeof createRemoteJWKSet>,
  ) {}

  /** Reads the provider's metadata; plain http is allowed for a provider on loopback only (the dev provider). */
  static async discover(settings: OidcSettings): Promise<OidcClient> {
    const insecure = isLoopback(settings.issuer);
    const config = await oidc.discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
      execute: insecure ? [oidc.allowInsecureRequests] : [],
    });
    const jwksUri = config.serverMetadata().jwks_uri;
    if (!jwksUri) throw new Error(`OIDC: ${settings.issuer} publishes no jwks_uri`);
    return new OidcClient(config, settings, createRemoteJWKSet(new URL(jwksUri)));
  }

  get issuer(): string {
    return this.config.serverMetadata().issuer;
  }

  /** Starts a login: the provider's address for the browser, and what to keep until the callback. */
  async start(): Promise<{ url: string; pending: PendingLogin }> {
    const pending = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
    const url = oidc.buildAuthorizationUrl(this.config, {
      redirect_uri: this.settings.redirectUri,
      scope: SCOPE,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, pending };
  }

  /** Finishes a login at the callback: exchanges the code (PKCE, state, nonce checked) for the ID token's identity. */
  async finish(callbackUrl: URL, pending: PendingLogin): Promise<Identity> {
    const tokens = await oidc.authorizationCodeGrant(this.config, callbackUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    return identityOf(tokens.claims()!);
  }

  /** Where the browser goes to end the provider's session too. */
  logoutUrl(postLogoutRedirectUri: string): string | undefined {
    if (!this.config.serverMetadata().end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(this.config, { client_id: this.settings.clientId, post_logout_redirect_uri: postLogoutRedirectUri })
      .href;
  }

  /** The identity of a bearer access token, or undefined when it is not valid for this API now. */
  async verifyBearer(token: string, now: Date): Promise<Identity | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        issuer: this.issuer,
        audience: this.settings.audience,
        currentDate: now,
        algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      });
      return identityOf(payload);
    } catch {
      return undefined;
    }
  }
}

function identityOf(claims: JWTPayload): Identity {
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return {
    sub: String(claims.sub),
    // Entra ID puts the address in preferred_username or upn when no email claim is configured.
    email: text(claims.email) ?? text(claims.preferred_username) ?? text(claims.upn),
    name: text(claims.name),
    amr: Array.isArray(claims.amr) ? claims.amr.map(String) : [],
    acr: text(claims.acr),
  };
}
