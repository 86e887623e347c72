/**
 * Who a personal login is inside Routekaart: the directory decides (organisation, professional id,
 * coordinator or not), never the token alone. A person is matched by the identity provider's
 * subject where the directory names one, else by e-mail address (case-insensitive). Someone the
 * directory does not know gets no access, however valid their token.
 */
import type { Directory } from '../../platform/directory';
import type { Caller } from '../access';
import type { Identity, OidcClient } from './oidc';

export type PersonCaller = Extract<Caller, { via: 'key' }>;

/** The organisation id a coordinator acts for (the region), as the coordinators' API keys do. */
export const COORDINATOR_ORGANISATION = 'regio-haaglanden';
const PREFIX = 'person:';

export class People {
  constructor(private readonly directory: () => Directory) {}

  /** The caller of a verified identity, or undefined when the directory does not know the person. */
  callerFor(identity: Identity): PersonCaller | undefined {
    const d = this.directory();
    const email = identity.email?.toLowerCase();
    const bySubject = Object.entries(d.professionals).find(([, p]) => p.subject !== undefined && p.subject === identity.sub);
    if (bySubject) return this.professional(bySubject[0]);
    if (!email) return undefined;
    if (d.coordinator.email.toLowerCase() === email) return this.coordinator();
    const byEmail = Object.entries(d.professionals).find(([, p]) => p.subject === undefined && p.email.toLowerCase() === email);
    return byEmail ? this.professional(byEmail[0]) : undefined;
  }

  /** The caller a stored session names ('person:<professionalId>' or 'person:coordinator'), while the directory still knows them. */
  byPrincipal(principal: string): PersonCaller | undefined {
    if (!principal.startsWith(PREFIX)) return undefined;
    const id = principal.slice(PREFIX.length);
    if (id === 'coordinator') return this.coordinator();
    return this.directory().professionals[id] ? this.professional(id) : undefined;
  }

  /** The name to greet a person with. */
  nameOf(caller: PersonCaller): string | undefined {
    const d = this.directory();
    if (caller.kind === 'coordinator' && caller.keyId === `${PREFIX}coordinator`) return d.coordinator.name;
    return caller.professionalId ? d.professionals[caller.professionalId]?.name : undefined;
  }

  private professional(professionalId: string): PersonCaller {
    const p = this.directory().professionals[professionalId]!;
    return { via: 'key', keyId: `${PREFIX}${professionalId}`, kind: 'professional', organisation: p.organisation, professionalId };
  }

  private coordinator(): PersonCaller {
    return { via: 'key', keyId: `${PREFIX}coordinator`, kind: 'coordinator', organisation: COORDINATOR_ORGANISATION };
  }
}

/** Is this caller a person who logged in (not an API key)? */
export function isPerson(caller: Caller): boolean {
  return caller.via === 'key' && caller.keyId.startsWith(PREFIX);
}

/** Bearer tokens of the identity provider on the API: a valid token of a person the directory knows. */
export function bearerPeople(oidc: OidcClient, people: People) {
  return {
    async callerFor(token: string, now: Date): Promise<PersonCaller | undefined> {
      const identity = await oidc.verifyBearer(token, now);
      return identity ? people.callerFor(identity) : undefined;
    },
  };
}
