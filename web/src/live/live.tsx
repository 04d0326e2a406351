/**
 * One live event stream per signed-in console, shared by every page: pages subscribe by event-type
 * prefix and refresh what they show; the header shows the connection state.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Event } from '../api/types';
import { useSession } from '../api/session';
import { startEventStream, type LiveStatus } from './event-stream';

type Listener = (e: Event) => void;

interface Live {
  status: LiveStatus;
  subscribe(l: Listener): () => void;
  /** Newest events first, as received (kept short). */
  recent: Event[];
}

const Ctx = createContext<Live>({ status: { kind: 'connecting' }, subscribe: () => () => undefined, recent: [] });

export function LiveProvider({ children }: { children: ReactNode }) {
  const { token, api, signOut, fetchImpl } = useSession();
  const [status, setStatus] = useState<LiveStatus>({ kind: 'connecting' });
  const [recent, setRecent] = useState<Event[]>([]);
  const listeners = useRef(new Set<Listener>());
  const tokenRef = useRef(token);
  tokenRef.current = token;

  useEffect(() => {
    if (!token) return;
    let stop: (() => void) | null = null;
    let cancelled = false;
    const begin = (afterId: number): void => {
      if (cancelled) return;
      stop = startEventStream({
        url: '/api/v1/events',
        token: () => tokenRef.current,
        afterId,
        onStatus: setStatus,
        onUnauthorized: () => signOut(true),
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
        onEvent: (e) => {
          setRecent((r) => [e, ...r].slice(0, 50));
          for (const l of listeners.current) l(e);
        },
      });
    };
    api
      .get('/api/v1/console/recent-events', { query: { limit: 20 } })
      .then((r) => {
        if (cancelled) return;
        setRecent(r.items);
        begin(r.lastId);
      })
      .catch(() => begin(0));
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [token, api, signOut, fetchImpl]);

  const subscribe = useCallback((l: Listener) => {
    listeners.current.add(l);
    return () => {
      listeners.current.delete(l);
    };
  }, []);
  const value = useMemo<Live>(() => ({ status, recent, subscribe }), [status, recent, subscribe]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useLive(): Live {
  return useContext(Ctx);
}

/** Calls `onChange` (at most once per `throttleMs`) when an event whose type starts with one of `prefixes` arrives. */
export function useLiveRefresh(prefixes: readonly string[], onChange: () => void, throttleMs = 1000): void {
  const { subscribe } = useLive();
  const cb = useRef(onChange);
  cb.current = onChange;
  const key = prefixes.join('|');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const fire = (): void => {
      timer = null;
      last = Date.now();
      cb.current();
    };
    const unsub = subscribe((e) => {
      if (!key.split('|').some((p) => e.type.startsWith(p))) return;
      if (timer) return;
      timer = setTimeout(fire, Math.max(0, throttleMs - (Date.now() - last)));
    });
    return () => {
      unsub();
      if (timer) clearTimeout(timer);
    };
  }, [subscribe, key, throttleMs]);
}
