/**
 * @fileoverview Counting V8's garbage collections around a stretch of benchmark code. GC entries
 * reach a PerformanceObserver asynchronously, so starting and stopping wait a little.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';

/**
 * Start counting: resolves to the live counts ({ minor, major }) and `stop`, which waits for the
 * late entries, stops the observer and resolves to the same counts.
 */
export async function countGcs() {
  const gcs = { minor: 0, major: 0 };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gcs.major++;
      else gcs.minor++;
    }
  });
  await new Promise((r) => setTimeout(r, 10));
  obs.observe({ entryTypes: ['gc'] });
  const stop = async () => {
    await new Promise((r) => setTimeout(r, 50));
    obs.disconnect();
    return gcs;
  };
  return { gcs, stop };
}
