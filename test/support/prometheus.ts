// Scrapes a /metrics endpoint and reads its samples from the Prometheus text format (version 0.0.4).
/*
 * Parsed here rather than with parse-prometheus-text-format, which drops the labels of histogram series (it keeps
 * `_count` and `_sum` only for unlabelled ones). The sample grammar is small: name, optional {labels}, value.
 */

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  text: string;
  samples: PromSample[];
  /** Family names from the `# TYPE` lines. */
  families: string[];
  /** The value of the series with exactly these labels (the `process` default label aside); a histogram's `_count`. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): { samples: PromSample[]; families: string[] } {
  const samples: PromSample[] = [];
  const families: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) families.push(line.split(' ')[2]!);
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(LABEL)) labels[key!] = raw!.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return { samples, families };
}

function sameLabels(have: Record<string, string>, want: Record<string, string>): boolean {
  const { process: _process, ...own } = have;
  const keys = Object.keys(own);
  return keys.length === Object.keys(want).length && keys.every((key) => own[key] === want[key]);
}

export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const { samples, families } = parseExposition(text);
  return {
    text,
    samples,
    families,
    value(name, labels = {}) {
      const series = samples.find((sample) => (sample.name === name || sample.name === `${name}_count`) && sameLabels(sample.labels, labels));
      return series?.value;
    },
  };
}
