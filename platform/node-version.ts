/**
 * The Node.js versions the service runs on: 22 and later (package.json "engines"; ical-generator 11
 * needs 22, Node 20 reached its end of life in April 2026). `npm start` and `npm test` bring Node 24
 * themselves when the machine's is older (scripts/with-node); a direct `node dist/...` on an older
 * Node stops here with a message instead of failing somewhere deep inside.
 */
export const MIN_NODE_MAJOR = 22;

export function assertSupportedNode(version: string = process.versions.node): void {
  const major = Number(version.split('.')[0]);
  if (!(major >= MIN_NODE_MAJOR))
    throw new Error(
      `Node.js ${version} is not supported: Routekaart needs Node.js ${MIN_NODE_MAJOR} or later. ` +
        'Use `npm start` (it brings Node 24 from PyPI when needed) or install a newer Node.',
    );
}
