/**
 * The encryption keys of household data: AES-256-GCM, one current key that encrypts, and older
 * keys that only decrypt, so keys can rotate without making earlier data unreadable. Each
 * ciphertext names its key by an id (a hash prefix of the key, which reveals nothing of it).
 * Used by the Temporal payload codec and by the database's encrypted texts.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export class Keyring {
  readonly currentId: string;
  private readonly keys = new Map<string, Buffer>();

  /** `current` encrypts; `previous` keys still decrypt what they once encrypted. */
  constructor(current: Buffer, previous: Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== 32) throw new Error('An encryption key must be 32 bytes (AES-256)');
      this.keys.set(keyIdOf(key), key);
    }
    this.currentId = keyIdOf(current);
  }

  /** iv || ciphertext || tag, under the current key. `aad` binds the ciphertext to its context. */
  encrypt(plain: Uint8Array, aad?: Uint8Array): { keyId: string; data: Buffer } {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    if (aad) cipher.setAAD(aad);
    return { keyId: this.currentId, data: Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]) };
  }

  decrypt(keyId: string, data: Uint8Array, aad?: Uint8Array): Buffer {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`Data encrypted with unknown key id ${keyId}: add that key to the previous keys`);
    const buf = Buffer.from(data);
    if (buf.length < IV_BYTES + TAG_BYTES) throw new Error('Ciphertext too short');
    const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, IV_BYTES));
    if (aad) decipher.setAAD(aad);
    decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
    return Buffer.concat([decipher.update(buf.subarray(IV_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
  }
}
