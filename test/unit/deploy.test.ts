// The dashboard and alert rules in deploy/ query only series Hookline and the Temporal SDK export.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const read = (...path: string[]) => readFileSync(join(ROOT, ...path), 'utf8');

// Every metric Hookline defines, by the `name:` it registers with prom-client.
const defined = new Set(
  readdirSync(join(ROOT, 'src', 'observability'))
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => [...read('src', 'observability', file).matchAll(/name: '(hookline_[a-z_]+)'/g)].map((match) => match[1]!)),
);
// The Temporal SDK series the dashboard and alerts use (seen in test/integration/metrics.test.ts's scrape).
const SDK_SERIES = new Set([
  'temporal_worker_task_slots_used',
  'temporal_workflow_task_schedule_to_start_latency',
  'temporal_activity_schedule_to_start_latency',
  'temporal_sticky_cache_size',
  'temporal_sticky_cache_hit',
]);

function seriesIn(expr: string): string[] {
  return [...expr.matchAll(/\b((?:hookline|temporal)_[a-z_]+)/g)].map((match) => match[1]!.replace(/_(bucket|count|sum)$/, ''));
}

function expectKnown(exprs: string[]): void {
  const unknown = exprs.flatMap(seriesIn).filter((name) => !defined.has(name) && !SDK_SERIES.has(name));
  expect(unknown).toEqual([]);
}

describe('deploy/', () => {
  it('defines the metrics it is checked against', () => {
    expect([...defined]).toEqual(
      expect.arrayContaining(['hookline_deliveries_total', 'hookline_events_ingested_total', 'hookline_destination_failure_streak']),
    );
    expect(defined.size).toBeGreaterThanOrEqual(12);
  });

  it('alerts on delivery success, backlog, auto-disables and schedule-to-start, over exported series only', () => {
    const rules = (parse(read('deploy', 'prometheus', 'alerts.yml')) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups.flatMap(
      (group) => group.rules,
    );
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'HooklineDeliverySuccessRateLow',
        'HooklineBacklogGrowing',
        'HooklineDestinationsAutoDisabled',
        'HooklineWorkflowTaskScheduleToStartHigh',
      ]),
    );
    expectKnown(rules.map((rule) => rule.expr));
  });

  it('has a Grafana dashboard whose panels query exported series only', () => {
    const dashboard = JSON.parse(read('deploy', 'grafana', 'dashboards', 'hookline.json')) as { panels: { title: string; targets: { expr: string }[] }[] };
    expect(dashboard.panels.length).toBeGreaterThan(10);
    expectKnown(dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)));
  });

  it('scrapes the API and the worker from the Prometheus of docker-compose.yml', () => {
    const compose = parse(read('docker-compose.yml')) as { services: Record<string, unknown> };
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['prometheus', 'grafana', 'hookline-api', 'hookline-worker']));
    const scrape = parse(read('deploy', 'prometheus', 'prometheus.yml')) as { scrape_configs: { static_configs: { targets: string[] }[] }[] };
    expect(scrape.scrape_configs.flatMap((job) => job.static_configs.flatMap((config) => config.targets))).toEqual([
      'hookline-api:3000',
      'hookline-worker:9464',
    ]);
  });
});
