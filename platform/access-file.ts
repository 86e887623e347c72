/**
 * The access file (ROUTEKAART_ACCESS): API keys per organisation and kind, stored only as sha256
 * hashes, and each organisation's webhook for its intake system. The API authenticates with the
 * keys (api/access.ts); the worker delivers webhooks to the addresses (activities/webhook.ts).
 */
import { z } from 'zod';
import { Ref } from '../domain/schemas/model';
import { readJsonFile } from './json-file';

export const KINDS = ['intake', 'professional', 'coordinator'] as const;
export type Kind = (typeof KINDS)[number];

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 als 64 kleine hexadecimale tekens (maak hem met api/hash-key).');

const common = { id: Ref, organisation: Ref, sha256: Sha256Hex };
export const KeyEntry = z.discriminatedUnion('kind', [
  z.strictObject({ ...common, kind: z.literal('intake') }),
  z.strictObject({ ...common, kind: z.literal('professional'), professionalId: Ref }),
  z.strictObject({ ...common, kind: z.literal('coordinator') }),
]);
export type KeyEntry = z.infer<typeof KeyEntry>;

export const Webhook = z.strictObject({
  url: z.url({ protocol: /^https?$/, message: 'Een http(s)-URL.' }),
  secret: z.string().min(16, 'Minimaal 16 tekens.'),
});

export const AccessFile = z
  .strictObject({
    $comment: z.string().optional(),
    keys: z.array(KeyEntry),
    webhooks: z.record(Ref, Webhook).default({}),
  })
  .superRefine((f, ctx) => {
    const seen = new Map<string, number>();
    f.keys.forEach((k, i) => {
      for (const [what, value] of [
        ['id', k.id],
        ['sha256', k.sha256],
      ] as const) {
        const key = `${what}:${value}`;
        if (seen.has(key))
          ctx.addIssue({ code: 'custom', path: ['keys', i, what], message: `Dubbel ${what}: ook bij sleutel ${seen.get(key)}.` });
        else seen.set(key, i);
      }
    });
  });
export type AccessFile = z.infer<typeof AccessFile>;

/** Reads and validates the access file; a wrong file stops the start with every problem listed. */
export function loadAccessFile(path: string): AccessFile {
  return readJsonFile(path, AccessFile, 'access file');
}
