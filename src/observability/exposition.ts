// Serves Prometheus' text format from several sources: Hookline's registries and the Temporal SDK's own exporter.
import type { Registry } from 'prom-client';

/** One part of a scrape; each returns complete metric families, so parts concatenate into one valid exposition. */
export type MetricsSource = () => Promise<string>;

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function registrySource(registry: Registry): MetricsSource {
  return () => registry.metrics();
}

/**
 * The Temporal runtime serves its metrics (slots, schedule-to-start latency, sticky cache) on a loopback port of its
 * own; a scrape of Hookline's endpoint includes them, so Prometheus needs one target per process.
 */
export function temporalSdkSource(port: number): MetricsSource {
  return async () => {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2_000) });
      if (!response.ok) return `# Temporal SDK metrics unavailable: HTTP ${response.status}\n`;
      return await response.text();
    } catch (error) {
      // The runtime may not have exported yet (it starts with the first worker); Hookline's own series still answer.
      return `# Temporal SDK metrics unavailable: ${(error as Error).message}\n`;
    }
  };
}

export async function exposition(sources: MetricsSource[]): Promise<string> {
  const parts = await Promise.all(sources.map((source) => source()));
  return parts.map((part) => (part.endsWith('\n') ? part : `${part}\n`)).join('');
}
