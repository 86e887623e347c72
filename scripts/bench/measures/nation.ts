/**
 * Figure 7 (full mode, pg engine only): a nation's worth of open households with two worker
 * processes. Setup (not a figure): bare starts of the mixed population at high concurrency until N
 * households are open. Then: each worker's memory, the engine's database sizes and the Temporal
 * server's memory, and figures 1, 2 and 5 again at that size.
 */
import { sleep } from '../../../test/support/harness/wait';
import { log } from '../lifecycle';
import type { Stack } from '../stack';
import { round } from '../stats';
import { measureCommands, type CommandOptions } from './commands';
import { measureIntake, type IntakeOptions } from './intake';
import { measureLists, type ListOptions } from './lists';

export interface NationOptions {
  households: number;
  workers: number;
  workerCache: number;
  setupConcurrency: number;
  intake: IntakeOptions;
  commands: Omit<CommandOptions, 'workerCache'>;
  lists: Omit<ListOptions, 'households'>;
}

export async function measureNation(stack: Stack, o: NationOptions, usedForCold: Set<string>) {
  await stack.restartWorkers(o.workers, o.workerCache);
  const open = await stack.openHouseholds();
  const t0 = Date.now();
  if (open < o.households) {
    log(`${stack.engine.name}: nation: ${open} open households, starting ${o.households - open} more (setup, not timed as a figure)`);
    await stack.addPopulation(o.households - open, o.setupConcurrency, 'nation');
  }
  const setupS = round((Date.now() - t0) / 1000);
  await sleep(10_000);
  const openNow = await stack.openHouseholds();
  const workers = await Promise.all(stack.workers.map(async (w) => ({ name: w.name, ...w.memory(), afterFullGc: await w.heap() })));
  const stores = await stack.engine.storeSizes();
  const server = await stack.engine.serverMemory();
  log(`${stack.engine.name}: nation: ${openNow} open; figures 1, 2, 5 at this size`);
  const intake = await measureIntake(stack, o.intake, 'nation');
  const commands = await measureCommands(stack, { ...o.commands, workerCache: o.workerCache * o.workers }, usedForCold, 'nation');
  const lists = await measureLists(stack, { ...o.lists, households: o.households });
  return {
    openHouseholds: openNow,
    setupSeconds: setupS,
    workers: o.workers,
    workerCache: o.workerCache,
    workerMemory: workers,
    storeSizesMb: stores,
    serverMemory: server,
    intake,
    commands,
    lists,
    workerMemoryAfter: stack.workers.map((w) => ({ name: w.name, ...w.memory() })),
  };
}
