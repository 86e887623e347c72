/**
 * The Temporal SDK runtime of a process that runs a worker: warnings and errors only in the log
 * (its info lines drown what matters), and the SDK's own worker metrics (task slots, poll and
 * schedule-to-start latency, sticky cache) on a Prometheus port of their own, bound like ours.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Config } from '../platform/config';

export function installRuntime(config: Pick<Config, 'metrics'>): void {
  const { host, sdkPort } = config.metrics;
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions:
      sdkPort > 0
        ? {
            metrics: {
              prometheus: { bindAddress: `${host}:${sdkPort}`, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true },
            },
          }
        : undefined,
  });
}
