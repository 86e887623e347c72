/**
 * Operators' helper for the access file (config/access.json): prints the sha256 of an API key, the
 * only form in which keys are stored.
 *
 *   node dist/api/hash-key.js                  reads the key from stdin (keeps it out of shell history)
 *   node dist/api/hash-key.js <key>            hashes the argument
 *   node dist/api/hash-key.js --generate       makes a new random key and prints key and hash
 */
import { randomBytes } from 'node:crypto';
import { hashKey } from './access';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export async function main(argv: string[]): Promise<string> {
  if (argv[0] === '--generate') {
    const key = `rk_${randomBytes(24).toString('base64url')}`;
    return `key:    ${key}\nsha256: ${hashKey(key)}`;
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
