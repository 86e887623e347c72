// Loaded into the worker and API child processes with `--import` (and so into their worker
// threads too, where the SDK runs workflow code): on the benchmark's IPC message 'bench:memory' it
// runs a full garbage collection in every thread (the process runs with --expose-gc) and answers
// with the V8 heap of each thread and the process's RSS before and after; on 'bench:snapshot' it
// writes a heap snapshot of every thread (snapshots() below). Observation only: it changes nothing
// in the process until asked, and its channels never keep the process alive.
import { isMainThread, threadId } from 'node:worker_threads';
import v8 from 'node:v8';
import { join } from 'node:path';

const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const heap = () => {
  const h = v8.getHeapStatistics();
  return {
    usedMb: mb(h.used_heap_size),
    totalMb: mb(h.total_heap_size),
    externalMb: mb(h.external_memory),
    limitMb: mb(h.heap_size_limit),
    // Committed size per space: what of the heap's pages the RSS holds (new space is sized by
    // --max-semi-space-size, the old spaces by V8's growing heuristics).
    spacesMb: Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, mb(s.space_size)])),
  };
};
const channel = new BroadcastChannel('routekaart-bench-memory');
channel.unref();

if (isMainThread) {
  if (process.send) {
    process.on('message', (m) => {
      if (m && m.type === 'bench:snapshot') return snapshots(m.dir);
      if (m !== 'bench:memory') return;
      const rssBeforeMb = mb(process.memoryUsage().rss);
      const threads = [];
      channel.onmessage = (e) => {
        if (e.data && e.data.type === 'heap') threads.push(e.data);
      };
      channel.unref();
      channel.postMessage({ type: 'gc' });
      // Collecting a large heap takes a while: wait for an answer (up to 8 s), then a little longer for more threads.
      const started = Date.now();
      const wait = () =>
        threads.length === 0 && Date.now() - started < 8000 ? setTimeout(wait, 100).unref() : setTimeout(answer, 300).unref();
      const answer = () => {
        channel.onmessage = null;
        globalThis.gc?.();
        const u = process.memoryUsage();
        process.send({
          type: 'bench:memory',
          rssBeforeGcMb: rssBeforeMb,
          rssAfterGcMb: mb(u.rss),
          main: { ...heap(), arrayBuffersMb: mb(u.arrayBuffers) },
          threads,
        });
      };
      wait();
    });
    process.channel?.unref();
  }
} else {
  channel.onmessage = (e) => {
    if (e.data && e.data.type === 'snapshot') {
      const file = v8.writeHeapSnapshot(join(e.data.dir, `thread-${threadId}.heapsnapshot`));
      channel.postMessage({ type: 'snapshot-written', file });
      return;
    }
    if (!e.data || e.data.type !== 'gc') return;
    globalThis.gc?.();
    channel.postMessage({ type: 'heap', threadId, ...heap() });
  };
  channel.unref();
}

/**
 * On `{ type: 'bench:snapshot', dir }`: a V8 heap snapshot of every thread into `dir` (main.heapsnapshot,
 * thread-<id>.heapsnapshot), answered with the files once the threads have written theirs (a large
 * heap takes seconds). For finding what a cached household holds.
 */
function snapshots(dir) {
  const files = [];
  channel.onmessage = (e) => {
    if (e.data && e.data.type === 'snapshot-written') files.push(e.data.file);
  };
  channel.postMessage({ type: 'snapshot', dir });
  const started = Date.now();
  const wait = () =>
    files.length === 0 && Date.now() - started < 120_000 ? setTimeout(wait, 200).unref() : setTimeout(answer, 500).unref();
  const answer = () => {
    channel.onmessage = null;
    files.push(v8.writeHeapSnapshot(join(dir, 'main.heapsnapshot')));
    process.send({ type: 'bench:snapshot', files });
  };
  wait();
}
