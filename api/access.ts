/**
 * Who may call the API, and what they may see (R-64: each organisation sees what its role needs).
 *
 * API keys live outside the code in a JSON file (config.accessFile), one entry per key with its
 * organisation and kind, stored only as sha256 hashes: a leaked file opens nothing. Presented keys
 * are hashed and compared in constant time against every entry. The same file holds each
 * organisation's webhook (url and signing secret) for the intake system.
 *
 * - intake: starts trajectories, reads the households its organisation started;
 * - professional: reads and changes households its organisation is involved in (domain/view.ts
 *   involvedOrganisations), as the professional named on the key;
 * - coordinator: reads every household and the audit log, gives no commands.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Actor, HouseholdState } from '../domain/model';
import { involvedProfessionals } from '../domain/selectors';
import type { HouseholdView } from '../domain/view';
import { loadAccessFile, type AccessFile, type KeyEntry, type Kind } from '../platform/access-file';

export { KINDS, type Kind } from '../platform/access-file';

/** Who is calling: through an API key, or through a signed e-mail link for one household. */
export type Caller =
  | { via: 'key'; keyId: string; kind: Kind; organisation: string; professionalId?: string }
  | { via: 'link'; sub: string; householdId: string };

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function callerOf(entry: KeyEntry): Extract<Caller, { via: 'key' }> {
  return {
    via: 'key',
    keyId: entry.id,
    kind: entry.kind,
    organisation: entry.organisation,
    professionalId: entry.kind === 'professional' ? entry.professionalId : undefined,
  };
}

export class Access {
  private readonly hashes: { entry: KeyEntry; hash: Buffer }[];

  constructor(readonly file: AccessFile) {
    this.hashes = file.keys.map((entry) => ({ entry, hash: Buffer.from(entry.sha256, 'hex') }));
  }

  /** The caller of a key id (a dashboard session names its key by id). */
  byId(keyId: string): Extract<Caller, { via: 'key' }> | undefined {
    const entry = this.file.keys.find((k) => k.id === keyId);
    return entry ? callerOf(entry) : undefined;
  }

  /** The caller of an `Authorization: Bearer <key>` header, or undefined. */
  authenticate(header: string | undefined): Extract<Caller, { via: 'key' }> | undefined {
    const m = header ? /^Bearer[ \t]+(\S{1,512})[ \t]*$/i.exec(header) : null;
    if (!m) return undefined;
    const presented = createHash('sha256').update(m[1]!, 'utf8').digest();
    // Compare against every entry, without stopping at a match, so timing tells nothing.
    let found: KeyEntry | undefined;
    for (const { entry, hash } of this.hashes) if (timingSafeEqual(presented, hash) && !found) found = entry;
    return found ? callerOf(found) : undefined;
  }
}

/** Reads the access file for the API; a wrong file stops the start with every problem listed. */
export function loadAccess(path: string): Access {
  return new Access(loadAccessFile(path));
}

/** May this caller read this household? One place for the rule, for every read route. */
export function mayRead(caller: Caller, view: HouseholdView): boolean {
  if (caller.via === 'link') {
    if (caller.householdId !== view.state.householdId) return false;
    if (caller.sub === 'coordinator') return true;
    if (caller.sub.startsWith('lead:')) return view.organisations.includes(caller.sub.slice('lead:'.length));
    // A link made for a professional opens the household while they are still responsible for it.
    return involvedProfessionals(view.state).some((p) => p.professionalId === caller.sub);
  }
  switch (caller.kind) {
    case 'coordinator':
      return true;
    case 'intake':
      return view.state.intake.organisation === caller.organisation;
    case 'professional':
      return view.organisations.includes(caller.organisation);
  }
}

/** The organisation a reader reads for: its key's, or that of the professional or lead a link was sent to. */
function readerOrganisation(caller: Caller, view: HouseholdView): string | undefined {
  if (caller.via === 'key') return caller.organisation;
  if (caller.sub.startsWith('lead:')) return caller.sub.slice('lead:'.length);
  return involvedProfessionals(view.state).find((p) => p.professionalId === caller.sub)?.organisation;
}

/**
 * The household as this reader receives it: the intake reference is the intake
 * organisation's own case number and goes to its people only; everybody else reads the household
 * by its id.
 */
export function asReadBy(caller: Caller, view: HouseholdView): ReadView {
  if (readerOrganisation(caller, view) === view.state.intake.organisation) return view;
  const { reference: _withheld, ...intake } = view.state.intake;
  return { ...view, state: { ...view.state, intake } };
}

/** A household view as the API answers it: the intake reference only for the intake organisation. */
export type ReadView = Omit<HouseholdView, 'state'> & {
  state: Omit<HouseholdState, 'intake'> & { intake: Omit<HouseholdState['intake'], 'reference'> & { reference?: string } };
};

/** Only professionals give commands, and only on households their organisation is involved in. */
export function mayWrite(caller: Caller, view: HouseholdView): boolean {
  return caller.via === 'key' && caller.kind === 'professional' && view.organisations.includes(caller.organisation);
}

/** The actor of a command: from the credentials, never from the body. */
export function actorOf(caller: Caller): Actor {
  // The coordinator decides after escalations and on overrides (section 6), in their own name.
  if (caller.via === 'key' && caller.kind === 'coordinator')
    return { professionalId: caller.professionalId ?? 'coordinator', organisation: caller.organisation, kind: 'coordinator' };
  if (caller.via !== 'key' || caller.kind !== 'professional' || !caller.professionalId)
    throw new Error('Only professionals and the coordinator act on households');
  return { professionalId: caller.professionalId, organisation: caller.organisation, kind: 'professional' };
}

/**
 * The published example keys (config/access.example.json: each key is its own id) may only ever
 * serve loopback. Listening on another interface with them would open every household to anyone
 * who read the README.
 */
export function assertSafeInterface(host: string, file: AccessFile): void {
  const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
  const examples = file.keys.filter((k) => hashKey(k.id) === k.sha256).map((k) => k.id);
  if (!loopback && examples.length)
    throw new Error(
      `Refusing to listen on ${host} with published example keys (${examples.join(', ')}): use an access file with keys of your own ` +
        `(node dist/api/hash-key.js --renew config/access.example.json > config/access.json makes one).`,
    );
}
