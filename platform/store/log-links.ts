/**
 * The family's personal log links (issue 21, R-16): one row per link, for one member of the
 * household or its network, made by the casusregisseur and revocable by them; and what came in
 * through each link, so that its holder sees their own entries. Only refs, dates, outcomes and
 * scores here; a note is kept encrypted in household_texts and referenced.
 */
import type { Database } from '../db/database';

export interface LogLink {
  linkId: string;
  householdId: string;
  /** The member it was made for (a household member's or network member's ref). */
  member: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt?: Date;
  /** Issue 21: the member's e-mail address for reminders, as a text reference (encrypted in household_texts). */
  addressRef?: string;
}

export interface LogLinkEntry {
  agreementId: string;
  day: string;
  outcome: string;
  score?: number;
  noteRef?: string;
  recordedAt: Date;
}

interface LinkRow {
  link_id: string;
  household_id: string;
  member: string;
  created_by: string;
  created_at: unknown;
  expires_at: unknown;
  revoked_at: unknown;
  address_ref: string | null;
}

const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

function linkOf(r: LinkRow): LogLink {
  return {
    linkId: r.link_id,
    householdId: r.household_id,
    member: r.member,
    createdBy: r.created_by,
    createdAt: date(r.created_at),
    expiresAt: date(r.expires_at),
    revokedAt: r.revoked_at === null || r.revoked_at === undefined ? undefined : date(r.revoked_at),
    ...(r.address_ref ? { addressRef: r.address_ref } : {}),
  };
}

export class LogLinks {
  constructor(private readonly db: Database) {}

  async create(link: Omit<LogLink, 'revokedAt'>): Promise<void> {
    await this.db.query(
      `INSERT INTO log_links (link_id, household_id, member, created_by, created_at, expires_at, address_ref) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        link.linkId,
        link.householdId,
        link.member,
        link.createdBy,
        link.createdAt.toISOString(),
        link.expiresAt.toISOString(),
        link.addressRef ?? null,
      ],
    );
  }

  /**
   * Issue 21: the link through which a member is reminded: their newest link with an address
   * that is neither revoked nor expired at `now`.
   */
  async reachable(householdId: string, member: string, now: Date): Promise<LogLink | undefined> {
    const rows = await this.db.query<LinkRow>(
      `SELECT * FROM log_links WHERE household_id = $1 AND member = $2 AND address_ref IS NOT NULL AND revoked_at IS NULL AND expires_at > $3
       ORDER BY created_at DESC, link_id LIMIT 1`,
      [householdId, member, now.toISOString()],
    );
    return rows[0] && linkOf(rows[0]);
  }

  async get(linkId: string): Promise<LogLink | undefined> {
    const rows = await this.db.query<LinkRow>('SELECT * FROM log_links WHERE link_id = $1', [linkId]);
    return rows[0] && linkOf(rows[0]);
  }

  /** The household's links, newest first. */
  async ofHousehold(householdId: string): Promise<LogLink[]> {
    const rows = await this.db.query<LinkRow>('SELECT * FROM log_links WHERE household_id = $1 ORDER BY created_at DESC, link_id', [
      householdId,
    ]);
    return rows.map(linkOf);
  }

  /** Revokes a link of this household; false when there is no such link or it was revoked already. */
  async revoke(householdId: string, linkId: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE log_links SET revoked_at = $3 WHERE household_id = $1 AND link_id = $2 AND revoked_at IS NULL RETURNING link_id',
      [householdId, linkId, at.toISOString()],
    );
    return rows.length > 0;
  }

  async addEntry(link: LogLink, entry: LogLinkEntry): Promise<void> {
    await this.db.query(
      `INSERT INTO log_link_entries (link_id, household_id, agreement_id, day, outcome, score, note_ref, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        link.linkId,
        link.householdId,
        entry.agreementId,
        entry.day,
        entry.outcome,
        entry.score ?? null,
        entry.noteRef ?? null,
        entry.recordedAt.toISOString(),
      ],
    );
  }

  /** The entries that came in through this link, newest first, at most `limit`. */
  async entries(linkId: string, limit = 50): Promise<LogLinkEntry[]> {
    const rows = await this.db.query<{
      agreement_id: string;
      day: string;
      outcome: string;
      score: number | null;
      note_ref: string | null;
      recorded_at: unknown;
    }>(
      `SELECT agreement_id, day::text AS day, outcome, score, note_ref, recorded_at FROM log_link_entries
       WHERE link_id = $1 ORDER BY recorded_at DESC, id DESC LIMIT $2`,
      [linkId, limit],
    );
    return rows.map((r) => ({
      agreementId: r.agreement_id,
      day: r.day,
      outcome: r.outcome,
      score: r.score ?? undefined,
      noteRef: r.note_ref ?? undefined,
      recordedAt: date(r.recorded_at),
    }));
  }

  /** Entries through this link since a moment: the link's rate limit counts them. */
  async countSince(linkId: string, since: Date): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM log_link_entries WHERE link_id = $1 AND recorded_at >= $2',
      [linkId, since.toISOString()],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
