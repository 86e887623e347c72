/**
 * Payload codec: every Temporal payload (workflow input, state, update arguments, results) is
 * encrypted with AES-256-GCM before it leaves the process, so household data is never readable in
 * the Temporal database. Search attributes and headers are not payloads: they carry no personal data.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import type { DataConverter } from '@temporalio/common';

const ENCODING = 'binary/encrypted';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class AesGcmCodec implements PayloadCodec {
  private readonly keyId: string;
  constructor(private readonly key: Buffer) {
    // The key id lets a future key rotation find the right key; it reveals nothing of the key.
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.key, iv);
      const plain = Buffer.from(encodePayload(p));
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: encoder.encode(ENCODING), 'encryption-key-id': encoder.encode(this.keyId) },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (!p.metadata || decoder.decode(p.metadata[METADATA_ENCODING_KEY]) !== ENCODING) return p;
      const keyId = p.metadata['encryption-key-id'] ? decoder.decode(p.metadata['encryption-key-id']) : '';
      if (keyId !== this.keyId) throw new Error(`Payload encrypted with unknown key id ${keyId}`);
      const buf = Buffer.from(p.data ?? new Uint8Array());
      const iv = buf.subarray(0, 12);
      const tag = buf.subarray(buf.length - 16);
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(buf.subarray(12, buf.length - 16)), decipher.final()]);
      return decodePayload(plain);
    });
  }
}

// Payloads are protobuf messages; JSON with base64 fields is enough to wrap one losslessly.
function encodePayload(p: Payload): string {
  const metadata = Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return JSON.stringify({ metadata, data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') });
}

function decodePayload(buf: Buffer): Payload {
  const o = JSON.parse(buf.toString('utf8')) as { metadata: Record<string, string>; data: string };
  return {
    metadata: Object.fromEntries(Object.entries(o.metadata).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
    data: new Uint8Array(Buffer.from(o.data, 'base64')),
  };
}

export function dataConverter(key: Buffer): DataConverter {
  return { payloadCodecs: [new AesGcmCodec(key)] };
}
