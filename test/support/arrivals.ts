// What a receiver counts of the requests it got: the most that arrived in any window, and the most open at once.
import type { ReceivedRequest } from './receiver';

/** The most of these instants (epoch ms: arrivals, or sends) that fall in any window of `windowMs`, sliding, as a strict receiver counts. */
export function mostInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** When each request reached the receiver. */
export const arrivalsOf = (requests: ReceivedRequest[]): number[] => requests.map((request) => request.receivedAt);

/** Counts the requests a receiver holds open: call `opened` on arrival and the returned function when it answers. */
export function openRequestCounter(): { opened(): () => void; readonly most: number } {
  let open = 0;
  let most = 0;
  return {
    opened() {
      open += 1;
      most = Math.max(most, open);
      return () => (open -= 1);
    },
    get most() {
      return most;
    },
  };
}
