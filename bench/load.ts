// The closed-loop load generator: at most `concurrency` requests in flight, paced to a target rate (or unpaced).
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ratePerSecond, type BacklogSample } from './latency';

export interface LoadOptions {
  /** Requests per second to aim for; null sends as fast as the in-flight limit allows. */
  rate: number | null;
  concurrency: number;
  durationMs: number;
  /** One request; throws when it was not accepted. Resolves with a value kept per sequence number. */
  send: (seq: number) => Promise<void>;
  /** Deliveries owed but not yet received, sampled every 250 ms while the load runs. */
  backlog?: () => number;
}

export interface LoadResult {
  sent: number;
  accepted: number;
  failed: number;
  firstError: string | null;
  elapsedMs: number;
  acceptedPerSecond: number;
  /** How long each accepted request took, in ms. */
  requestMs: number[];
  backlog: BacklogSample[];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const start = performance.now();
  const requestMs: number[] = [];
  const backlog: BacklogSample[] = [];
  let next = 0;
  let accepted = 0;
  let failed = 0;
  let firstError: string | null = null;
  const sampler = options.backlog ? setInterval(() => backlog.push({ t: performance.now() - start, backlog: options.backlog!() }), 250) : null;

  const client = async () => {
    for (;;) {
      const seq = next++;
      // Each request has a due time on the rate's schedule; a client that falls behind sends at once (closed loop).
      const due = options.rate === null ? performance.now() : start + (seq * 1000) / options.rate;
      if (due - start >= options.durationMs) return;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const sentAt = performance.now();
      try {
        await options.send(seq);
        accepted++;
        requestMs.push(performance.now() - sentAt);
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, client));
  } finally {
    if (sampler) clearInterval(sampler);
  }
  const elapsedMs = performance.now() - start;
  return {
    sent: accepted + failed,
    accepted,
    failed,
    firstError,
    elapsedMs: Math.round(elapsedMs),
    acceptedPerSecond: ratePerSecond(accepted, elapsedMs),
    requestMs,
    backlog,
  };
}

export class DrainTimeoutError extends Error {
  override name = 'DrainTimeoutError';
}

/** Polls until `done` says so or the bound passes; returns how long it took (the bound when it gave up). */
export async function waitUntil(done: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<{ ms: number; timedOut: boolean }> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (await done()) return { ms: Math.round(performance.now() - start), timedOut: false };
    await sleep(everyMs);
  }
  return { ms: Math.round(timeoutMs), timedOut: true };
}
