/**
 * Every store against both engines with the same SQL: the embedded PGlite (what `npm start` and
 * most tests use) and a real PostgreSQL server (what production uses).
 */
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../platform/db/database';
import { grantApplicationRole, migrate } from '../../platform/db/migrate';
import { MIGRATIONS } from '../../platform/db/schema';
import { Keyring } from '../../platform/keyring';
import { AuditStore, GENESIS } from '../../platform/store/audit';
import { MailStore } from '../../platform/store/mail';
import { SummaryStore } from '../../platform/store/summaries';
import { SummaryWriter } from '../../platform/store/summary-writer';
import { isTextRef, TextStore } from '../../platform/store/texts';
import { WebhookLog } from '../../platform/store/webhooks';
import type { HouseholdSummary } from '../../domain/summary';
import { startPostgres, type PostgresServer } from '../support/harness/postgres';
import { householdRow } from '../support/summary';

const REF_KEY = randomBytes(32);
let server: PostgresServer;
let dbCount = 0;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** A fresh, migrated database of each engine for every test. */
const engines: [string, () => Promise<Database>][] = [
  ['PGlite (embedded)', () => openDatabase({})],
  [
    'PostgreSQL',
    async () => {
      const admin = await openDatabase({ url: server.url() });
      const name = `rk_test_${++dbCount}`;
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.close();
      return openDatabase({ url: server.url(name) });
    },
  ],
];

const summary = (id: string, over: Partial<HouseholdSummary> = {}): HouseholdSummary =>
  householdRow(id, { phases: [{ phase: 'veiligheid', startedAt: '2026-03-02T09:00:00.000Z', endedAt: null, via: 'start' }], ...over });

describe.each(engines)('%s', (_name, open) => {
  let db: Database;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => {
    await db?.close();
  });

  test('migrations are idempotent: a second run applies nothing', async () => {
    expect(await migrate(db)).toEqual([]);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations'))[0]!.n).toBe(MIGRATIONS.length);
  });

  describe('audit log', () => {
    test('one chain, verifiable; append-only even for the owner; paging by sequence and household', async () => {
      const audit = new AuditStore(db);
      const entries = [];
      for (let i = 0; i < 12; i++) {
        entries.push(
          await audit.append({
            who: { keyId: 'k', role: 'professional' },
            what: { method: 'GET', route: '/x', householdId: i % 2 ? 'hh-a' : 'hh-b', status: 200 },
          }),
        );
      }
      expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect(entries[0]!.prev).toBe(GENESIS);
      expect(await audit.verify(5)).toMatchObject({ ok: true, entries: 12 });
      expect((await audit.page({ after: 10, limit: 100 })).map((e) => e.seq)).toEqual([11, 12]);
      expect((await audit.page({ limit: 3, householdId: 'hh-a' })).map((e) => e.seq)).toEqual([2, 4, 6]);
      await expect(db.query("UPDATE audit_log SET line = '{}' WHERE seq = 3")).rejects.toThrow(/append-only/);
      await expect(db.query('DELETE FROM audit_log WHERE seq = 3')).rejects.toThrow(/append-only/);
      await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    });

    test('concurrent appends from many callers keep one unbroken chain', async () => {
      const audit = new AuditStore(db);
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => audit.append({ who: null, what: { method: 'GET', route: `/r${i}`, status: 401 } })),
      );
      expect(await audit.verify()).toMatchObject({ ok: true, entries: 40 });
    });

    test('two processes on one database: whoever wrote first keeps its number, the other renumbers; one chain, no gaps', async () => {
      // Two stores, each with its own idea of the head, as two API processes have.
      const a = new AuditStore(db);
      const b = new AuditStore(db);
      const line = (route: string) => ({ who: null, what: { method: 'GET', route, status: 200 } });
      expect((await a.append(line('/a1'))).seq).toBe(1);
      expect((await b.append(line('/b1'))).seq).toBe(2);
      // a still thinks the head is 1: its statement is refused by the primary key and renumbered.
      const again = await a.append(line('/a2'));
      expect(again).toMatchObject({ seq: 3, what: { route: '/a2' } });
      const both = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).append(line(`/c${i}`))));
      expect(new Set(both.map((e) => e.seq)).size).toBe(60);
      expect(await a.verify(7)).toMatchObject({ ok: true, entries: 63 });
    });

    test('one statement per append once the head is known, and appends that wait go out together', async () => {
      let inserts = 0;
      let statements = 0;
      const counted: Database = {
        ...db,
        kind: db.kind,
        transaction: (fn) => db.transaction(fn),
        close: () => db.close(),
        query: (text, params) => {
          statements++;
          if (text.startsWith('INSERT INTO audit_log')) inserts++;
          return db.query(text, params);
        },
      };
      const audit = new AuditStore(counted);
      await audit.append({ who: null, what: { method: 'GET', route: '/first', status: 200 } });
      statements = 0;
      await audit.append({ who: null, what: { method: 'GET', route: '/second', status: 200 } });
      expect(statements).toBe(1);
      inserts = 0;
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => audit.append({ who: null, what: { method: 'GET', route: `/w${i}`, status: 200 } })),
      );
      expect(inserts).toBeLessThanOrEqual(2);
      expect(await audit.verify()).toMatchObject({ ok: true, entries: 52 });
    });

    test('a changed line is found by verification (with the trigger out of the way, as an attacker with owner rights would)', async () => {
      const audit = new AuditStore(db);
      for (let i = 0; i < 5; i++) await audit.append({ who: null, what: { method: 'GET', route: '/x', status: 200 } });
      await db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await db.query(`UPDATE audit_log SET line = replace(line, '"status":200', '"status":204') WHERE seq = 3`);
      expect(await audit.verify()).toMatchObject({ ok: false, seq: 3 });
    });
  });

  describe('mail sent-log', () => {
    const mail = { key: 'k1', idempotencyKey: 'hh-1:R-13:niveau1', recipient: 'p-1', messageId: '<m@x>', leaseMs: 60_000 };

    test('one claim at a time; sent is final; a failed send is released for the next attempt', async () => {
      const store = new MailStore(db);
      const first = await store.claim(mail);
      expect(first.kind).toBe('claimed');
      expect((await store.claim(mail)).kind).toBe('busy');
      if (first.kind !== 'claimed') throw new Error('unreachable');
      await store.release(mail.key, first.token);
      const second = await store.claim(mail);
      expect(second.kind).toBe('claimed');
      if (second.kind !== 'claimed') throw new Error('unreachable');
      await store.markSent(mail.key, second.token);
      expect(await store.isSent(mail.key)).toBe(true);
      expect((await store.claim(mail)).kind).toBe('sent');
    });

    test('a claim whose attempt died (lease ran out) is taken over', async () => {
      const store = new MailStore(db);
      expect((await store.claim({ ...mail, leaseMs: 1 })).kind).toBe('claimed');
      await new Promise((r) => setTimeout(r, 20));
      expect((await store.claim(mail)).kind).toBe('claimed');
    });

    test('concurrent claims of one mail: exactly one wins', async () => {
      const store = new MailStore(db);
      const claims = await Promise.all(Array.from({ length: 10 }, () => store.claim(mail)));
      expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    });

    test('digest queue: queued once, delivered by the digest that sent it', async () => {
      const store = new MailStore(db);
      expect(await store.queueDigest('q1', 'p-1', 'org', { reason: 'r1' })).toBe(true);
      expect(await store.queueDigest('q1', 'p-1', 'org', { reason: 'r1' })).toBe(false);
      await store.queueDigest('q2', 'p-1', 'org', { reason: 'r2' });
      expect((await store.pendingDigests()).map((r) => r.key)).toEqual(['q1', 'q2']);
      const c = await store.claim({ ...mail, key: 'digest-1' });
      if (c.kind !== 'claimed') throw new Error('unreachable');
      await store.markSent('digest-1', c.token, ['q1']);
      expect((await store.pendingDigests<{ reason: string }>()).map((r) => r.entry.reason)).toEqual(['r2']);
    });
  });

  test('texts are stored encrypted, bound to their household, and re-encrypted after a key rotation', async () => {
    const oldKey = randomBytes(32);
    const texts = new TextStore(db, new Keyring(oldKey), REF_KEY);
    const [ref] = await texts.seal('hh-1', ['Oma ziet dat vader rustig blijft bij spanning']);
    expect(isTextRef(ref)).toBe(true);
    const raw = await db.query<{ ciphertext: Uint8Array }>('SELECT ciphertext FROM household_texts');
    expect(Buffer.from(raw[0]!.ciphertext).toString('utf8')).not.toContain('Oma');
    expect((await texts.open('hh-1', [ref!])).get(ref!)).toBe('Oma ziet dat vader rustig blijft bij spanning');
    expect((await texts.open('hh-2', [ref!])).size).toBe(0);
    // Moved to another household by someone with database access: it does not decrypt there.
    await db.query("UPDATE household_texts SET household_id = 'hh-2'");
    await expect(texts.open('hh-2', [ref!])).rejects.toThrow();
    await db.query("UPDATE household_texts SET household_id = 'hh-1'");
    const rotated = new TextStore(db, new Keyring(randomBytes(32), [oldKey]), REF_KEY);
    expect(await rotated.reencrypt()).toBe(1);
    expect(await rotated.reencrypt()).toBe(0);
    expect(await new TextStore(db, new Keyring(randomBytes(32), []), REF_KEY).open('hh-1', [ref!]).catch((e: Error) => e.message)).toMatch(
      /unknown key/,
    );
  });

  test('many texts at once (an import): every one stored once, in order, the same text twice one row', async () => {
    const texts = new TextStore(db, new Keyring(randomBytes(32)), REF_KEY);
    const many = Array.from({ length: 1_203 }, (_, i) => `Gezien op dag ${i}: rustig.`);
    many.push(many[7]!);
    const refs = await texts.seal('hh-1', many);
    expect(refs).toHaveLength(1_204);
    expect(refs[1_203]).toBe(refs[7]);
    const opened = await texts.open('hh-1', refs);
    expect(refs.map((r) => opened.get(r))).toEqual(many);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM household_texts'))[0]!.n).toBe(1_203);
  });

  test('webhook delivery log counts attempts and keeps the first delivery', async () => {
    const log = new WebhookLog(db);
    const attempt = { eventId: 'e1', organisation: 'vt', householdId: 'hh-1', type: 'fase' };
    await log.record({ ...attempt, error: 'ECONNREFUSED', delivered: false });
    await log.record({ ...attempt, status: 500, delivered: false });
    await log.record({ ...attempt, status: 200, delivered: true });
    expect(await log.get('e1')).toEqual({ attempts: 3, delivered: true, lastStatus: 200 });
  });

  describe('read model', () => {
    test('an older write never overwrites a newer one', async () => {
      const writer = new SummaryWriter(db);
      expect(await writer.write(summary('hh-1', { seq: 5, phase: 'risicogestuurd' }))).toBe(true);
      expect(await writer.write(summary('hh-1', { seq: 4, phase: 'veiligheid' }))).toBe(false);
      expect(await writer.write(summary('hh-1', { seq: 5, phase: 'veiligheid' }))).toBe(false);
      const { items } = await new SummaryStore(db).list({ status: 'all' }, {}, 10);
      expect(items.map((i) => i.phase)).toEqual(['risicogestuurd']);
      const [row] = await db.query<{ seq: number }>('SELECT seq FROM household_summaries WHERE household_id = $1', ['hh-1']);
      expect(Number(row?.seq)).toBe(5);
    });

    test('urgency order across pages with keyset paging, filters and visibility; counts over all households', async () => {
      const store = new SummaryStore(db);
      const writer = new SummaryWriter(db);
      const levels = [0, 3, 1, 2, 3, 0, 1, 2, 0, 3];
      for (let i = 0; i < levels.length; i++) {
        await writer.write(
          summary(`hh-${String(i).padStart(2, '0')}`, {
            escalationLevel: levels[i]!,
            overdue: levels[i]! > 0,
            nextDeadline: i % 3 === 0 ? null : `2026-04-${String(10 + i).padStart(2, '0')}T08:00:00.000Z`,
            organisations: i % 2 ? ['veilig-thuis', 'lokaal-team'] : ['veilig-thuis'],
            openHandover: i === 4,
            phase: i < 5 ? 'veiligheid' : 'risicogestuurd',
          }),
        );
      }
      const seen = [];
      let after;
      do {
        const page = await store.list({ status: 'running' }, {}, 3, after);
        seen.push(...page.items);
        after = page.next;
      } while (after);
      expect(seen).toHaveLength(10);
      expect(new Set(seen.map((s) => s.householdId)).size).toBe(10);
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1]!, seen[i]!];
        const ordered =
          a.escalationLevel > b.escalationLevel ||
          (a.escalationLevel === b.escalationLevel && (a.nextDeadline ?? '9') <= (b.nextDeadline ?? '9'));
        expect(ordered).toBe(true);
      }
      expect((await store.list({ status: 'running', escalationLevel: 3 }, {}, 50)).items).toHaveLength(3);
      expect((await store.list({ status: 'running' }, { organisation: 'lokaal-team' }, 50)).items).toHaveLength(5);
      expect((await store.list({ status: 'running', openHandover: true }, {}, 50)).items.map((i) => i.householdId)).toEqual(['hh-04']);
      expect(await store.counts({})).toEqual({
        total: 10,
        byPhase: { veiligheid: 5, risicogestuurd: 5 },
        escalated: 7,
        byLevel: { '0': 3, '1': 2, '2': 2, '3': 3 },
        openHandovers: 1,
        overdue: 7,
      });
    });
  });

  test('the application role can read and add audit lines, not change them', async () => {
    if (db.kind !== 'postgres') return; // PGlite has one role; the trigger above covers it
    await db.query(
      "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rk_app') THEN CREATE ROLE rk_app LOGIN; END IF; END $$",
    );
    await grantApplicationRole(db, 'rk_app');
    await new AuditStore(db).append({ who: null, what: { method: 'GET', route: '/x', status: 200 } });
    const [{ current_database: name }] = (await db.query<{ current_database: string }>('SELECT current_database()')) as [
      { current_database: string },
    ];
    const app = await openDatabase({ url: server.url(name).replace('postgres@', 'rk_app@') });
    try {
      await new AuditStore(app).append({ who: null, what: { method: 'GET', route: '/y', status: 200 } });
      await expect(app.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only')).rejects.toThrow(/owner/);
      await expect(app.query("UPDATE audit_log SET line = '{}'")).rejects.toThrow(/permission denied/);
      expect(await new AuditStore(app).verify()).toMatchObject({ ok: true, entries: 2 });
    } finally {
      await app.close();
    }
  });
});
