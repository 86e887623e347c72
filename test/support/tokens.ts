/** Spellings of signed tokens, for tests that a respelled token is refused (issue 19). */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The four spellings of a token whose last character differs only in the 2 bits base64url
 * decoding ignores (a 32-byte MAC is 43 characters); the first is the token itself.
 */
export function spellings(token: string): string[] {
  const base = ALPHABET.indexOf(token.at(-1)!) & ~3;
  const others = [0, 1, 2, 3].map((k) => `${token.slice(0, -1)}${ALPHABET[base | k]}`).filter((t) => t !== token);
  return [token, ...others];
}
