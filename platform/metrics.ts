/**
 * Prometheus metrics of one process (prom-client), served on a port of their own bound to
 * loopback by default (docs/OPERATIONS.md): never next to the API on the public interface.
 *
 * - counted where it happens: API latency per route, audit writes, mail sent / failed / retried,
 *   webhook deliveries (each process counts its own; Prometheus sums over processes);
 * - read at scrape time from the read model, the same for every process: households per phase,
 *   escalations per level, reminders due and overdue, open handovers and the oldest one's age.
 *
 * The Temporal SDK's own worker metrics are served by the SDK's exporter (worker/telemetry.ts).
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OperationalFigures } from './store/summaries';

export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'routekaart_http_request_duration_seconds',
    help: 'API and page requests by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly auditWrites = new Counter({
    name: 'routekaart_audit_writes_total',
    help: 'Lines appended to the audit log, and appends that failed (the request was then refused).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly mailSent = new Counter({
    name: 'routekaart_mail_sent_total',
    help: 'Mails accepted by the SMTP server (or written to the outbox), by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly mailFailed = new Counter({
    name: 'routekaart_mail_failed_total',
    help: 'Mail deliveries that failed in an attempt: transient (retried by Temporal) or permanent (escalated).',
    labelNames: ['failure'] as const,
    registers: [this.registry],
  });

  readonly mailRetried = new Counter({
    name: 'routekaart_mail_retried_total',
    help: 'Mail activity attempts after the first.',
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'routekaart_webhook_deliveries_total',
    help: 'Webhook deliveries to intake systems by outcome (delivered, failed, rejected, no_endpoint).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'routekaart_process_' });
    // Gauges that prom-client names like counters (promtool's lint refuses them); the per-type gauges stay.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
      this.registry.removeSingleMetric(`routekaart_process_${name}`);
  }

  /** Gauges read from the read model when Prometheus scrapes (one query per scrape, shared by all of them). */
  observeReadModel(read: () => Promise<OperationalFigures>): void {
    let pending: { at: number; figures: Promise<OperationalFigures> } | undefined;
    const figures = () => {
      if (!pending || Date.now() - pending.at > 1_000) pending = { at: Date.now(), figures: read() };
      return pending.figures;
    };
    const gauge = <L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[],
      fill: (g: Gauge<L>, f: OperationalFigures) => void,
    ) =>
      new Gauge<L>({
        name,
        help,
        labelNames,
        registers: [this.registry],
        async collect() {
          this.reset();
          fill(this, await figures());
        },
      });
    gauge('routekaart_households', 'Running households per phase.', ['phase'], (g, f) => {
      for (const [phase, n] of Object.entries(f.byPhase)) g.set({ phase }, n);
    });
    gauge('routekaart_households_escalated', 'Running households by their current escalation level (0 = none).', ['level'], (g, f) => {
      for (const [level, n] of Object.entries(f.byLevel)) g.set({ level }, n);
    });
    gauge('routekaart_reminders', 'Open tasks of running households: due (reminded, not yet overdue) and overdue.', ['state'], (g, f) => {
      g.set({ state: 'due' }, f.due);
      g.set({ state: 'overdue' }, f.overdue);
    });
    gauge('routekaart_open_handovers', 'Handovers requested and neither confirmed nor cancelled (R-24).', [], (g, f) =>
      g.set(f.openHandovers),
    );
    gauge('routekaart_open_handover_oldest_age_seconds', 'Age of the oldest open handover (R-24); 0 when none is open.', [], (g, f) =>
      g.set(f.oldestHandoverSeconds),
    );
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** GET /metrics on host:port; nothing else. Bound to loopback unless configured otherwise. */
export async function serveMetrics(metrics: Metrics, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Alleen GET /metrics.\n');
      return;
    }
    metrics.text().then(
      ({ contentType, body }) => res.writeHead(200, { 'Content-Type': contentType }).end(body),
      () => res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Metrics tijdelijk niet beschikbaar.\n'),
    );
  });
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}
