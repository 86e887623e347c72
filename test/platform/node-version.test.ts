/** One true Node version: engines, the wrapper that brings Node, the image and the start check agree (issue 18). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { assertSupportedNode, MIN_NODE_MAJOR } from '../../platform/node-version';

const root = resolve(__dirname, '../..');
const read = (f: string) => readFileSync(resolve(root, f), 'utf8');

test('an unsupported Node stops the start with a clear message; a supported one passes', () => {
  expect(() => assertSupportedNode('20.20.2')).toThrow(/Node\.js 20\.20\.2 is not supported: Routekaart needs Node\.js 22 or later/);
  expect(() => assertSupportedNode('22.0.0')).not.toThrow();
  expect(() => assertSupportedNode('24.19.0')).not.toThrow();
});

test('package.json engines, scripts/with-node, the Dockerfile and the running tests say the same version', () => {
  expect(JSON.parse(read('package.json')).engines.node).toBe(`>=${MIN_NODE_MAJOR}`);
  expect(read('scripts/with-node')).toContain(`MIN_MAJOR=${MIN_NODE_MAJOR}`);
  const wheel = Number(/NODE_WHEEL_VERSION=(\d+)/.exec(read('scripts/with-node'))?.[1]);
  const image = Number(/ARG NODE_IMAGE=node:(\d+)/.exec(read('Dockerfile'))?.[1]);
  expect(wheel).toBeGreaterThanOrEqual(MIN_NODE_MAJOR);
  expect(image).toBe(wheel);
  // npm test itself runs through scripts/with-node.
  expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(MIN_NODE_MAJOR);
});
