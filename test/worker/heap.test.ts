/**
 * WORKER_WORKFLOW_SEMI_SPACE_MB (issue 23): the flag set before a thread starts caps that thread's
 * young generation. Run in a child process, so the flag does not reach other tests' threads.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** New-space size (MB) of a worker thread started after sizeWorkflowThreadYoungGeneration(mb), after churning garbage. */
function threadNewSpaceMb(semiSpaceMb: number): number {
  const script = `
    const { Worker } = require('node:worker_threads');
    const { sizeWorkflowThreadYoungGeneration } = require(${JSON.stringify(join(ROOT, 'worker', 'heap.ts'))});
    sizeWorkflowThreadYoungGeneration(${semiSpaceMb});
    const w = new Worker(\`
      const v8 = require('node:v8');
      const keep = [];
      for (let i = 0; i < 2e6; i++) { const o = { a: i, b: [i], c: 'x' + i }; if (i % 3 === 0) keep.push(o); if (keep.length > 2e5) keep.splice(0, 1e5); }
      const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
      require('node:worker_threads').parentPort.postMessage(s.space_size / 1048576);
    \`, { eval: true });
    w.on('message', (mb) => { console.log(mb); process.exit(0); });
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return Number(out.trim());
}

test('the cap reaches a thread started after it: new space at most two semi-spaces', () => {
  expect(threadNewSpaceMb(4)).toBeLessThanOrEqual(8);
});

test("without it (0) V8 grows the same thread's new space past that", () => {
  expect(threadNewSpaceMb(0)).toBeGreaterThan(8);
});
