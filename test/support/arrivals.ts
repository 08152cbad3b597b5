// What a receiver counts of the requests it got: the most that arrived in any window, and the most open at once.
import type { ReceivedRequest } from './receiver';

/** The most requests that arrived in any window of `windowMs` (a sliding window, as a strict receiver counts). */
export function mostInAnyWindow(requests: ReceivedRequest[], windowMs: number): number {
  const times = requests.map((request) => request.receivedAt).sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

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
