/**
 * Loads something from the API with loading, error and data states; reloads on demand and, when
 * given event-type prefixes, whenever matching live events arrive (keeping the old data on screen
 * while the new loads, so live pages do not flicker).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLiveRefresh } from '../live/live';

export interface Resource<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload(): void;
}

export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[], live: readonly string[] = [], throttleMs = 1000): Resource<T> {
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    loadRef
      .current(controller.signal)
      .then((data) => !controller.signal.aborted && setState({ data, error: null, loading: false }))
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => ({ data: s.data, error: e instanceof Error ? e : new Error(String(e)), loading: false }));
      });
    return () => controller.abort();
  }, [tick, ...deps]);
  useLiveRefresh(live, reload, throttleMs);
  return { ...state, reload };
}
