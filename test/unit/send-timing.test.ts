// When a paced request leaves: at its token's time read on the worker's clock, and never late enough to crowd the next one.
import { bestOffset, isLateForToken, LATE_SEND_MS, offsetSample, waitForTokenMs } from '../../src/domain/send-timing';

describe("a paced request's timing", () => {
  it("reads the database's clock through the permit's round trip: the reading at its midpoint, within half of it", () => {
    // The worker's clock runs 40 ms behind the database's; the permit took 10 ms there and back.
    expect(offsetSample(1_000, 1_010, 1_045)).toEqual({ offsetMs: 40, uncertaintyMs: 5, atMs: 1_010 });
  });

  it('keeps the tightest recent estimate, and forgets it after a minute', () => {
    const tight = offsetSample(0, 4, 42);
    const loose = offsetSample(100, 300, 240);
    expect(bestOffset(tight, loose)).toBe(tight);
    expect(bestOffset(loose, tight)).toBe(tight);
    const muchLater = offsetSample(70_000, 70_200, 70_140);
    expect(bestOffset(tight, muchLater)).toBe(muchLater);
  });

  it("waits until the token's time on the worker's clock, whatever the permit's commit took", () => {
    const offset = offsetSample(1_000, 1_010, 1_045); // database = worker + 40
    // A token at 1,200 on the database's clock is 1,160 on the worker's.
    expect(waitForTokenMs(1_200, offset, 1_010)).toBe(150);
    // The commit was slow: 100 ms already gone, 50 left.
    expect(waitForTokenMs(1_200, offset, 1_110)).toBe(50);
    expect(waitForTokenMs(1_200, offset, 1_300)).toBe(0);
  });

  it('calls a request late only when a stall put it beyond the allowance and the estimate’s own uncertainty', () => {
    const offset = offsetSample(1_000, 1_010, 1_045); // token at 1,200 is 1,160 locally; uncertainty 5 ms
    expect(isLateForToken(1_200, offset, 1_160)).toBe(false);
    expect(isLateForToken(1_200, offset, 1_160 + LATE_SEND_MS + 5)).toBe(false);
    expect(isLateForToken(1_200, offset, 1_160 + LATE_SEND_MS + 6)).toBe(true);
    // A worker stalled for 300 ms after its wait would send on top of the next interval's request.
    expect(isLateForToken(1_200, offset, 1_460)).toBe(true);
  });
});
