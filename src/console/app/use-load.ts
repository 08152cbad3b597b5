// Loads something from the API for a screen: its data, its error, a reload, and an optional refresh while shown.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  reload: () => Promise<void>;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[], refreshMs?: number): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  // Only the latest request's answer is shown: a slow first load that answers after a reload (a workspace created
  // meanwhile) would otherwise put the older list back on screen.
  const latest = useRef(0);
  const run = useCallback(async () => {
    const request = ++latest.current;
    try {
      const loaded = await load();
      if (request !== latest.current) return;
      setData(loaded);
      setError(undefined);
    } catch (caught) {
      if (request !== latest.current) return;
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    }
  }, deps);
  useEffect(() => {
    setData(undefined);
    void run();
    if (!refreshMs) return undefined;
    // Numbers on a status screen should move on their own; a hidden tab does not poll.
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void run();
    }, refreshMs);
    return () => clearInterval(timer);
  }, [run, refreshMs]);
  return { data, error, reload: run };
}
