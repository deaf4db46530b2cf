/**
 * Loading state for one page's API data: the value, an inline error, and reload() for live
 * updates (a reload keeps showing the old value until the new one arrives, so nothing flickers).
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api/client.js';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(deps);
  const lastKey = useRef(key);
  // A layout effect starts the request right after rendering, not a frame later as useEffect
  // would: on a page's first render that frame is on the critical path (bench/explorer-ui.ts).
  useLayoutEffect(() => {
    // Another page (new deps), not a live reload: drop the old page's data at once.
    if (lastKey.current !== key) {
      lastKey.current = key;
      setData(undefined);
      setError(null);
    }
    const ctrl = new AbortController();
    setLoading(true);
    load(ctrl.signal).then(
      (value) => {
        if (ctrl.signal.aborted) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        setError(
          err instanceof ApiError
            ? err
            : new ApiError(0, 'network', `could not reach the node: ${(err as Error).message}`),
        );
        setLoading(false);
      },
    );
    return () => ctrl.abort();
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/**
 * Marks `tally:rendered` (a performance mark the benchmark and tests read) the first time the
 * page's data is on screen; the mark is set once per page load.
 */
export function useRenderedMark(ready: boolean): void {
  useEffect(() => {
    if (!ready || performance.getEntriesByName('tally:rendered').length > 0) return;
    performance.mark('tally:rendered');
    document.documentElement.dataset.rendered = 'true';
  }, [ready]);
}
