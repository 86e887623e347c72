/** Validated JSON configuration files (directory, access): one reader, one error format. */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';

/** Reads a JSON configuration file and validates it; the error lists every wrong field (never a value). */
export function readJsonFile<T>(file: string, schema: z.ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`Invalid ${what} ${file}: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid ${what} ${file}:\n${lines}`);
  }
  return parsed.data;
}
