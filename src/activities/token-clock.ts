// This worker's reading of the database's clock, learnt from the permits' round trips, for sending a paced request at its token's time.
import { bestOffset, isLateForToken, offsetSample, waitForTokenMs, type OffsetSample } from '../domain/send-timing';

/** One per worker process: every paced attempt's permit refines it, every paced send reads it. */
export class TokenClock {
  private best: OffsetSample | null = null;

  constructor(private readonly localNowMs: () => number) {}

  /** Runs a permit request, timing its round trip to learn the offset from the database's reading inside it. */
  async timed<T extends { granted: boolean }>(request: () => Promise<T>, databaseMsOf: (result: T) => number | null): Promise<T> {
    const before = this.localNowMs();
    const result = await request();
    const databaseMs = databaseMsOf(result);
    if (databaseMs !== null) this.best = bestOffset(this.best, offsetSample(before, this.localNowMs(), databaseMs));
    return result;
  }

  /** Milliseconds to wait, on this clock, until the token's time (a permit's round trip always came first). */
  waitMs(tokenAtMs: number): number {
    return this.best === null ? 0 : waitForTokenMs(tokenAtMs, this.best, this.localNowMs());
  }

  /** Whether sending now would be late for the token, by more than the estimate's uncertainty can explain. */
  isLate(tokenAtMs: number): boolean {
    return this.best !== null && isLateForToken(tokenAtMs, this.best, this.localNowMs());
  }
}
