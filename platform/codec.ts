/**
 * Payload codec: every Temporal payload (workflow input, state, update arguments, results) is
 * encrypted with AES-256-GCM before it leaves the process, so household data is never readable in
 * the Temporal database. Search attributes and headers are not payloads: they carry no personal
 * data. The keyring's current key encrypts; older keys keep decrypting histories written before a
 * rotation (README: "Rotating keys").
 */
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { Keyring } from './keyring';

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class AesGcmCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const { keyId, data } = this.keyring.encrypt(encoder.encode(encodePayload(p)));
      return { metadata: { [METADATA_ENCODING_KEY]: encoder.encode(ENCODING), [KEY_ID]: encoder.encode(keyId) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (!p.metadata || decoder.decode(p.metadata[METADATA_ENCODING_KEY]) !== ENCODING) return p;
      const keyId = p.metadata[KEY_ID] ? decoder.decode(p.metadata[KEY_ID]) : '';
      return decodePayload(this.keyring.decrypt(keyId, p.data ?? new Uint8Array()));
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

export function dataConverter(keyring: Keyring): DataConverter {
  return { payloadCodecs: [new AesGcmCodec(keyring)] };
}
