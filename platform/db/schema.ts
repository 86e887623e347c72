/**
 * The schema, as numbered migrations. Texts of households are stored only encrypted
 * (household_texts); every other column holds ids, dates, levels and counts.
 */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'audit, mail, digest, webhooks, texts, read model',
    statements: [
      // Who read or changed which household, when: a hash chain, append-only for everyone.
      // Each line is kept exactly as hashed (jsonb would reorder its keys).
      `CREATE TABLE audit_log (
        seq bigint PRIMARY KEY,
        household_id text,
        line text NOT NULL,
        hash text NOT NULL
      )`,
      `CREATE INDEX audit_log_household ON audit_log (household_id, seq)`,
      `CREATE FUNCTION routekaart_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`,
      `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION routekaart_append_only()`,
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION routekaart_append_only()`,

      // One row per mail (idempotency key and address): claimed while sending, then sent.
      `CREATE TABLE mail_sent (
        key text PRIMARY KEY,
        idempotency_key text NOT NULL,
        recipient text NOT NULL,
        message_id text NOT NULL,
        state text NOT NULL CHECK (state IN ('sending', 'sent')),
        claimed_by text NOT NULL,
        claimed_until timestamptz NOT NULL,
        sent_at timestamptz,
        delivered text[] NOT NULL DEFAULT '{}'
      )`,

      // Reminders waiting for a professional's daily digest.
      `CREATE TABLE digest_queue (
        key text PRIMARY KEY,
        professional_id text NOT NULL,
        organisation text NOT NULL,
        entry jsonb NOT NULL,
        queued_at timestamptz NOT NULL,
        delivered_by text
      )`,
      `CREATE INDEX digest_queue_pending ON digest_queue (queued_at) WHERE delivered_by IS NULL`,

      // Every webhook event and how its delivery went.
      `CREATE TABLE webhook_deliveries (
        event_id text PRIMARY KEY,
        organisation text NOT NULL,
        household_id text NOT NULL,
        type text NOT NULL,
        attempts int NOT NULL,
        last_status int,
        last_error text,
        first_attempt_at timestamptz NOT NULL,
        last_attempt_at timestamptz NOT NULL,
        delivered_at timestamptz
      )`,

      // Free texts of households (observed behaviour, danger statements, notes, justifications):
      // AES-256-GCM under the payload keyring, bound to household and reference.
      `CREATE TABLE household_texts (
        household_id text NOT NULL,
        ref text NOT NULL,
        key_id text NOT NULL,
        ciphertext bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (household_id, ref)
      )`,

      // The read model: one row per household, written by its workflow after each change.
      `CREATE TABLE household_summaries (
        household_id text PRIMARY KEY,
        seq bigint NOT NULL,
        intake_organisation text NOT NULL,
        organisations text[] NOT NULL,
        phase text NOT NULL,
        casusregisseur text,
        escalation_level int NOT NULL,
        next_deadline timestamptz,
        sort_deadline timestamptz GENERATED ALWAYS AS (coalesce(next_deadline, 'infinity'::timestamptz)) STORED,
        open_handover boolean NOT NULL,
        overdue boolean NOT NULL,
        run_months int NOT NULL,
        active_social_network int NOT NULL,
        started_at timestamptz NOT NULL,
        phase_started_at timestamptz NOT NULL,
        closed_at timestamptz,
        status text NOT NULL,
        updated_at timestamptz NOT NULL
      )`,
      `CREATE INDEX household_summaries_urgency ON household_summaries (escalation_level DESC, sort_deadline, household_id)`,
      `CREATE INDEX household_summaries_organisations ON household_summaries USING gin (organisations)`,

      // What impact measurement counts across households: phases, escalations, handovers.
      `CREATE TABLE household_phases (
        household_id text NOT NULL,
        phase text NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        via text NOT NULL,
        PRIMARY KEY (household_id, started_at)
      )`,
      `CREATE TABLE household_escalations (
        household_id text NOT NULL,
        key text NOT NULL,
        rule text NOT NULL,
        level int NOT NULL,
        raised_at timestamptz NOT NULL,
        level_since timestamptz NOT NULL,
        resolved_at timestamptz,
        PRIMARY KEY (household_id, key)
      )`,
      `CREATE TABLE household_handovers (
        household_id text NOT NULL,
        id text NOT NULL,
        role text NOT NULL,
        reason text NOT NULL,
        requested_at timestamptz NOT NULL,
        confirmed_at timestamptz,
        cancelled_at timestamptz,
        PRIMARY KEY (household_id, id)
      )`,
    ],
  },
  {
    version: 2,
    name: 'idempotency keys of commands',
    statements: [
      // A client's Idempotency-Key, hashed with the caller, and what request it came with.
      `CREATE TABLE idempotency_keys (
        key text PRIMARY KEY,
        fingerprint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
    ],
  },
  {
    version: 3,
    name: 'task lists and single-use action links',
    statements: [
      // Who is involved, what is planned for whom, and a keyed reference to the encrypted intake reference.
      `ALTER TABLE household_summaries ADD COLUMN professionals text[] NOT NULL DEFAULT '{}'`,
      `ALTER TABLE household_summaries ADD COLUMN tasks jsonb NOT NULL DEFAULT '[]'`,
      `ALTER TABLE household_summaries ADD COLUMN reference_ref text`,
      `CREATE INDEX household_summaries_professionals ON household_summaries USING gin (professionals)`,
      // An action link works once: its hash is kept when it was used.
      `CREATE TABLE used_action_links (
        token_hash text PRIMARY KEY,
        used_at timestamptz NOT NULL DEFAULT now()
      )`,
    ],
  },
  {
    version: 4,
    name: 'phases entered at the same instant, escalations raised again under the same key',
    statements: [
      // Afstemming can end the instant it starts (owner known at intake): two phases, one instant.
      `ALTER TABLE household_phases DROP CONSTRAINT household_phases_pkey`,
      `ALTER TABLE household_phases ADD PRIMARY KEY (household_id, phase, started_at)`,
      // A cause that returns after it was resolved is a new escalation, counted again.
      `ALTER TABLE household_escalations DROP CONSTRAINT household_escalations_pkey`,
      `ALTER TABLE household_escalations ADD PRIMARY KEY (household_id, key, raised_at)`,
    ],
  },
  {
    version: 5,
    name: 'action links consumed by nonce',
    statements: [
      // A link is now consumed by the hash of its nonce (platform/store/action-links.ts), the same for
      // every spelling of its token. Rows kept so far hold token hashes, which match no nonce key.
      `ALTER TABLE used_action_links RENAME COLUMN token_hash TO nonce_hash`,
    ],
  },
  {
    version: 6,
    name: 'dashboard sessions kept server-side',
    statements: [
      // One row per dashboard login: only the sha256 of the session id, so the table opens no session.
      `CREATE TABLE dashboard_sessions (
        id_hash text PRIMARY KEY,
        key_id text NOT NULL,
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`,
      `CREATE INDEX dashboard_sessions_created ON dashboard_sessions (created_at)`,
    ],
  },
  {
    version: 7,
    name: 'scores replaced by a correction',
    statements: [
      // One score per danger, group and month lives in the workflow; a correction replaces it and the
      // earlier value is kept here, with who recorded it and when (the text by its reference).
      `CREATE TABLE household_score_corrections (
        id text PRIMARY KEY,
        household_id text NOT NULL,
        danger_id text NOT NULL,
        score_group text NOT NULL,
        month text NOT NULL,
        value int NOT NULL,
        evaluated_on date NOT NULL,
        text_ref text NOT NULL,
        recorded_at timestamptz NOT NULL,
        recorded_by text NOT NULL,
        corrected_at timestamptz NOT NULL
      )`,
      `CREATE INDEX household_score_corrections_household ON household_score_corrections (household_id, recorded_at)`,
    ],
  },
  {
    version: 8,
    name: 'months to direct and stable safety',
    statements: [
      // Issue 22: the dates impact needs for months to direct and stable safety.
      `ALTER TABLE household_summaries ADD COLUMN direct_safety_on date, ADD COLUMN stable_safety_on date`,
    ],
  },
  {
    version: 9,
    name: 'household alias for the overview',
    statements: [
      // Issue 20: the alias's text reference (the text itself is encrypted in household_texts) and a
      // keyed hash of it, by which the overview finds a household without storing the alias readable.
      `ALTER TABLE household_summaries ADD COLUMN alias_ref text, ADD COLUMN alias_key text`,
      `CREATE INDEX household_summaries_alias_key ON household_summaries (alias_key) WHERE alias_key IS NOT NULL`,
    ],
  },
  {
    version: 10,
    name: 'follow-up after closure',
    statements: [
      // Issue 22: one row per follow-up link sent (by the hash of its nonce, as used_action_links):
      // what the link asks (moment, group) and the dangers its page shows, by text reference.
      `CREATE TABLE follow_up_requests (
        nonce_hash text PRIMARY KEY,
        household_id text NOT NULL,
        months int NOT NULL,
        score_group text NOT NULL,
        dangers jsonb NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL
      )`,
      // One score per household, moment (0: the last before closure; 3, 6: months after), group and
      // danger; the explanation by its reference in household_texts (encrypted).
      `CREATE TABLE follow_up_scores (
        household_id text NOT NULL,
        moment int NOT NULL,
        score_group text NOT NULL,
        danger_id text NOT NULL,
        value int NOT NULL CHECK (value BETWEEN 0 AND 10),
        text_ref text NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (household_id, moment, score_group, danger_id)
      )`,
    ],
  },
  {
    version: 11,
    name: 're-reports after closure',
    statements: [
      // Issue 22: keyed hashes (HMAC-SHA256) of the member identifiers an intake system supplied;
      // the plain identifier is never stored. They find a closed household when a new intake arrives.
      `CREATE TABLE household_member_keys (
        household_id text NOT NULL,
        key_hash text NOT NULL,
        PRIMARY KEY (household_id, key_hash)
      )`,
      `CREATE INDEX household_member_keys_hash ON household_member_keys (key_hash)`,
      // A new intake linked to a closed trajectory: one previous trajectory per new household.
      `CREATE TABLE household_re_reports (
        new_household_id text PRIMARY KEY,
        closed_household_id text NOT NULL,
        matched_by text NOT NULL CHECK (matched_by IN ('reference', 'member')),
        reported_at timestamptz NOT NULL
      )`,
      `CREATE INDEX household_re_reports_closed ON household_re_reports (closed_household_id)`,
    ],
  },
  {
    version: 12,
    name: 'late data per organisation, import review in the list',
    statements: [
      // Issue 22: scores and evidence entered late ("later ingevoerd"), by the organisation that entered
      // them, for impact. Slots and dates only: no values, no texts, no names.
      `CREATE TABLE household_late_entries (
        household_id text NOT NULL,
        entry text NOT NULL,
        kind text NOT NULL,
        organisation text NOT NULL,
        observed_on date NOT NULL,
        entered_at timestamptz NOT NULL,
        PRIMARY KEY (household_id, entry)
      )`,
      `CREATE INDEX household_late_entries_entered ON household_late_entries (entered_at)`,
      // "geïmporteerd — in controle tot <datum>" in the list while the review lasts.
      `ALTER TABLE household_summaries ADD COLUMN import_review_ends_at timestamptz`,
    ],
  },
  {
    version: 13,
    name: 'safety plan versions and safety log',
    statements: [
      // Issue 21: every version of a safety plan in full. The body holds ids and references to
      // household_texts only (the texts themselves are encrypted there); the workflow keeps facts.
      `CREATE TABLE household_plan_versions (
        household_id text NOT NULL,
        plan_id text NOT NULL,
        version integer NOT NULL,
        kind text NOT NULL,
        body jsonb NOT NULL,
        recorded_at timestamptz NOT NULL,
        recorded_by text NOT NULL,
        PRIMARY KEY (household_id, plan_id, version)
      )`,
      // Issue 21: the safety log's entries; the note is a reference to household_texts.
      `CREATE TABLE household_log_entries (
        seq bigserial PRIMARY KEY,
        id text NOT NULL UNIQUE,
        household_id text NOT NULL,
        agreement_id text NOT NULL,
        entry_date date NOT NULL,
        outcome text NOT NULL,
        score integer,
        note_ref text,
        written_by text NOT NULL,
        written_at timestamptz NOT NULL
      )`,
      `CREATE INDEX household_log_entries_household ON household_log_entries (household_id, seq)`,
    ],
  },
  {
    version: 14,
    name: "the family's personal log links",
    statements: [
      // A personal log link: for whom (a member ref), made by whom, until it is revoked.
      `CREATE TABLE log_links (
        link_id text PRIMARY KEY,
        household_id text NOT NULL,
        member text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`,
      `CREATE INDEX log_links_household ON log_links (household_id, created_at)`,
      // What came in through a log link: the holder sees their own entries; the note by its reference.
      `CREATE TABLE log_link_entries (
        id bigserial PRIMARY KEY,
        link_id text NOT NULL REFERENCES log_links (link_id),
        household_id text NOT NULL,
        agreement_id text NOT NULL,
        day date NOT NULL,
        outcome text NOT NULL,
        score int,
        note_ref text,
        recorded_at timestamptz NOT NULL
      )`,
      `CREATE INDEX log_link_entries_link ON log_link_entries (link_id, recorded_at)`,
    ],
  },
  {
    version: 15,
    name: "a log link's address for the member's reminders",
    statements: [
      // Issue 21: where a missed check reminds the member first; a reference to the address,
      // encrypted in household_texts like every other text of the household.
      `ALTER TABLE log_links ADD COLUMN address_ref text`,
    ],
  },
];
