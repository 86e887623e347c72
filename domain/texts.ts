/**
 * Free texts at known paths ('scores[].observedBehaviour', 'giApproval.approvedBy'): collected
 * and replaced without touching anything else. The API uses it to store texts encrypted and hand
 * the workflow references, and to put the texts back for a reader.
 */

/** Every string at the paths, in a stable order. */
export function collectTexts(value: unknown, paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const path of paths) walk(value, path.split('.'), (s) => (out.push(s), s));
  return out;
}

/** A deep copy with every string at the paths replaced by `replace(string)`. */
export function replaceTexts<T>(value: T, paths: readonly string[], replace: (text: string) => string): T {
  const copy = structuredClone(value);
  for (const path of paths) walk(copy, path.split('.'), replace);
  return copy;
}

function walk(node: unknown, steps: string[], visit: (s: string) => string): void {
  if (node === null || typeof node !== 'object' || steps.length === 0) return;
  const [step, ...rest] = steps as [string, ...string[]];
  const many = step.endsWith('[]');
  const key = many ? step.slice(0, -2) : step;
  const record = node as Record<string, unknown>;
  const child = record[key];
  if (many) {
    if (Array.isArray(child)) for (const item of child) walk(item, rest, visit);
    return;
  }
  if (rest.length === 0) {
    if (typeof child === 'string') record[key] = visit(child);
    return;
  }
  walk(child, rest, visit);
}
