import { randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { AesGcmCodec } from '../../platform/codec';
import { Keyring, keyIdOf } from '../../platform/keyring';

const payload = {
  metadata: { [METADATA_ENCODING_KEY]: new TextEncoder().encode('json/plain') },
  data: new TextEncoder().encode('{"reference":"VT-2026-0001"}'),
};

test('rotation: the new key encrypts, the previous key still decrypts what it encrypted', async () => {
  const a = randomBytes(32);
  const b = randomBytes(32);
  const [old] = await new AesGcmCodec(new Keyring(a)).encode([payload]);
  expect(Buffer.from(old!.data!).toString('utf8')).not.toContain('VT-2026');

  const rotated = new AesGcmCodec(new Keyring(b, [a]));
  const [back] = await rotated.decode([old!]);
  expect(new TextDecoder().decode(back!.data ?? undefined)).toBe('{"reference":"VT-2026-0001"}');

  const [fresh] = await rotated.encode([payload]);
  expect(new TextDecoder().decode(fresh!.metadata!['encryption-key-id'])).toBe(keyIdOf(b));
  // Without the old key, old data cannot be read: the error names the missing key id.
  await expect(new AesGcmCodec(new Keyring(b)).decode([old!])).rejects.toThrow(keyIdOf(a));
});

test('a tampered ciphertext or another context (AAD) does not decrypt', () => {
  const ring = new Keyring(randomBytes(32));
  const sealed = ring.encrypt(Buffer.from('waargenomen gedrag'), Buffer.from('hh-1'));
  expect(ring.decrypt(sealed.keyId, sealed.data, Buffer.from('hh-1')).toString()).toBe('waargenomen gedrag');
  expect(() => ring.decrypt(sealed.keyId, sealed.data, Buffer.from('hh-2'))).toThrow();
  const flipped = Buffer.from(sealed.data);
  flipped[20] = flipped[20]! ^ 1;
  expect(() => ring.decrypt(sealed.keyId, flipped, Buffer.from('hh-1'))).toThrow();
});

test('keys must be 32 bytes', () => {
  expect(() => new Keyring(randomBytes(16))).toThrow('32 bytes');
});
