/** What a household's history is made of: events by type (workflow tasks, activities, markers, updates, timers). */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const EventType = temporal.api.enums.v1.EventType;

export function eventsByType(history: temporal.api.history.v1.IHistory): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of history.events ?? []) {
    const name = (EventType[e.eventType ?? 0] ?? String(e.eventType)).replace(/^EVENT_TYPE_/, '');
    out[name] = (out[name] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

/** Events of one workflow run, by type, plus the total. */
export async function historyProfile(client: Client, workflowId: string): Promise<{ events: number; byType: Record<string, number> }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return { events: history.events?.length ?? 0, byType: eventsByType(history) };
}
