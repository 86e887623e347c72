/**
 * Operators' helper for the access file (config/access.json): prints the sha256 of an API key, the
 * only form in which keys are stored.
 *
 *   node dist/api/hash-key.js                  reads the key from stdin (keeps it out of shell history)
 *   node dist/api/hash-key.js <key>            hashes the argument
 *   node dist/api/hash-key.js --generate       makes a new random key and prints key and hash
 *   node dist/api/hash-key.js --renew <file>   the access file with a new random key for every
 *                                              entry: the file on stdout, the keys on stderr, once
 */
import { randomBytes } from 'node:crypto';
import { loadAccessFile } from '../platform/access-file';
import { hashKey } from './access';

const newKey = (): string => `rk_${randomBytes(24).toString('base64url')}`;

/**
 * A first production access file from the example (docker-compose.yml's first run): the same
 * organisations, kinds and professionals, each with a fresh key. Only the hashes go into the file.
 */
export function renewAccessFile(path: string): { file: string; keys: string } {
  const access = loadAccessFile(path);
  const lines: string[] = [];
  const keys = access.keys.map((entry) => {
    const key = newKey();
    lines.push(`${entry.id.padEnd(24)} ${entry.kind.padEnd(12)} ${key}`);
    return { ...entry, sha256: hashKey(key) };
  });
  const { $comment: _example, ...rest } = access;
  const file = JSON.stringify({ ...rest, keys }, null, 2) + '\n';
  return { file, keys: `Nieuwe API-sleutels (alleen nu zichtbaar; geef elke sleutel veilig door):\n${lines.join('\n')}\n` };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export async function main(argv: string[]): Promise<string> {
  if (argv[0] === '--generate') {
    const key = newKey();
    return `key:    ${key}\nsha256: ${hashKey(key)}`;
  }
  if (argv[0] === '--renew') {
    if (!argv[1]) throw new Error('Give the access file to renew: --renew config/access.example.json');
    const { file, keys } = renewAccessFile(argv[1]);
    process.stderr.write(keys);
    return file.trimEnd();
  }
  const key = argv[0] ?? (await readStdin());
  if (!key || /\s/.test(key)) throw new Error('Give a key without spaces, as argument or on stdin.');
  return hashKey(key);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (out) => console.log(out),
    (err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    },
  );
}
