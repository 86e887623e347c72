/**
 * The free texts of households (observed behaviour, danger statements, notes, justifications,
 * the intake reference) live here, encrypted; the workflow keeps only a reference, so its state
 * stays small whatever the texts weigh. A reference is a keyed hash of household and text (the
 * same text is stored once; a guessable text such as an intake reference cannot be found back
 * from its reference without the key), and the ciphertext is bound to both, so a row moved to
 * another household does not decrypt.
 */
import { createHmac } from 'node:crypto';
import { bytes, valuesOf, type Database } from '../db/database';
import type { Keyring } from '../keyring';

const REF = /^txt:[A-Za-z0-9_-]{22}$/;

export function isTextRef(value: unknown): value is string {
  return typeof value === 'string' && REF.test(value);
}

export function textRefOf(refKey: Buffer, householdId: string, text: string): string {
  return `txt:${createHmac('sha256', refKey).update(`routekaart/text-ref/v1\n${householdId}\n${text}`, 'utf8').digest('base64url').slice(0, 22)}`;
}

/** The key of text references, derived from the household-id secret (one secret fewer to keep). */
export function textRefKey(idSecret: Buffer): Buffer {
  return createHmac('sha256', idSecret).update('routekaart/text-ref-key').digest();
}

const aad = (householdId: string, ref: string) => Buffer.from(`${householdId}\n${ref}`, 'utf8');

/** Texts per INSERT statement (4 parameters each, far below PostgreSQL's 65,535). */
const SEAL_CHUNK = 500;

export class TextStore {
  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring,
    /** Keys the references (derived from ROUTEKAART_ID_SECRET in production). */
    private readonly refKey: Buffer,
  ) {}

  /** Stores texts of one household; returns their references in the same order. */
  async seal(householdId: string, texts: string[]): Promise<string[]> {
    const refs = texts.map((t) => textRefOf(this.refKey, householdId, t));
    if (texts.length === 0) return refs;
    // One statement for the texts of a command (a plan version holds dozens), an import in chunks.
    for (let from = 0; from < texts.length; from += SEAL_CHUNK) {
      const rows = texts.slice(from, from + SEAL_CHUNK).map((t, i) => {
        const ref = refs[from + i]!;
        const { keyId, data } = this.keyring.encrypt(Buffer.from(t, 'utf8'), aad(householdId, ref));
        return [householdId, ref, keyId, data];
      });
      const { values, params } = valuesOf(rows);
      await this.db.query(
        `INSERT INTO household_texts (household_id, ref, key_id, ciphertext) ${values} ON CONFLICT (household_id, ref) DO NOTHING`,
        params,
      );
    }
    return refs;
  }

  /** The texts behind references of one household; a reference without a row is left out. */
  async open(householdId: string, refs: string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(refs.filter(isTextRef))];
    const out = new Map<string, string>();
    if (wanted.length === 0) return out;
    const rows = await this.db.query<{ ref: string; key_id: string; ciphertext: unknown }>(
      'SELECT ref, key_id, ciphertext FROM household_texts WHERE household_id = $1 AND ref = ANY($2::text[])',
      [householdId, wanted],
    );
    for (const r of rows) out.set(r.ref, this.keyring.decrypt(r.key_id, bytes(r.ciphertext), aad(householdId, r.ref)).toString('utf8'));
    return out;
  }

  /**
   * Stored bytes per reference (the text's UTF-8 bytes plus the cipher's fixed overhead), read
   * without fetching or decrypting any text: a reader plans a page of long texts with it first.
   */
  async sizes(householdId: string, refs: string[]): Promise<Map<string, number>> {
    const wanted = [...new Set(refs.filter(isTextRef))];
    if (wanted.length === 0) return new Map();
    const rows = await this.db.query<{ ref: string; bytes: number }>(
      'SELECT ref, octet_length(ciphertext)::int AS bytes FROM household_texts WHERE household_id = $1 AND ref = ANY($2::text[])',
      [householdId, wanted],
    );
    return new Map(rows.map((r) => [r.ref, Number(r.bytes)]));
  }

  /** Key rotation: re-encrypts rows still under an older key with the current one, a batch at a time. */
  async reencrypt(batch = 500): Promise<number> {
    const rows = await this.db.query<{ household_id: string; ref: string; key_id: string; ciphertext: unknown }>(
      'SELECT household_id, ref, key_id, ciphertext FROM household_texts WHERE key_id <> $1 LIMIT $2',
      [this.keyring.currentId, batch],
    );
    for (const r of rows) {
      const plain = this.keyring.decrypt(r.key_id, bytes(r.ciphertext), aad(r.household_id, r.ref));
      const { keyId, data } = this.keyring.encrypt(plain, aad(r.household_id, r.ref));
      await this.db.query('UPDATE household_texts SET key_id = $3, ciphertext = $4 WHERE household_id = $1 AND ref = $2', [
        r.household_id,
        r.ref,
        keyId,
        data,
      ]);
    }
    return rows.length;
  }
}
