/**
 * The signed-in session: the API token (remembered in localStorage), the typed client that sends
 * it, and sign-out when the server stops accepting it.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { createClient, type ApiClient } from './client';

const storageKey = 'tessera.token';

export interface Session {
  token: string | null;
  api: ApiClient;
  signIn(token: string): void;
  signOut(expired?: boolean): void;
  /** True when the last sign-out happened because the server refused the token. */
  expired: boolean;
  /** The fetch the client uses (tests point it at a server on another origin). */
  fetchImpl: typeof fetch | undefined;
}

const Ctx = createContext<Session | null>(null);

function stored(): string | null {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function SessionProvider({ children, fetchImpl }: { children: ReactNode; fetchImpl?: typeof fetch }) {
  const [token, setToken] = useState<string | null>(stored);
  const [expired, setExpired] = useState(false);
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const signOut = useCallback((why = false) => {
    try {
      localStorage.removeItem(storageKey);
    } catch {
      // Nothing stored.
    }
    setExpired(why);
    setToken(null);
  }, []);
  const signIn = useCallback((t: string) => {
    try {
      localStorage.setItem(storageKey, t);
    } catch {
      // Private mode: signed in for this page only.
    }
    setExpired(false);
    setToken(t);
  }, []);
  const api = useMemo(() => createClient({ token: () => tokenRef.current, onUnauthorized: () => tokenRef.current && signOut(true), ...(fetchImpl ? { fetch: fetchImpl } : {}) }), [signOut, fetchImpl]);
  const value = useMemo(() => ({ token, api, signIn, signOut, expired, fetchImpl }), [token, api, signIn, signOut, expired, fetchImpl]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function useApi(): ApiClient {
  return useSession().api;
}
