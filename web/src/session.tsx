// Who is signed in. Loaded once from GET /api/session; the CSRF token it carries is handed to
// the API client for every write. Signing in happens on the server (the platform's unified
// sign-in, then back to the app with the session cookie), so there is no signIn here.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken, setUnauthorizedHandler, type Role, type Session } from './api.ts';
import { navigate } from './router.tsx';

type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; session: Session };

type SessionApi = {
  state: SessionState;
  signOut: () => Promise<void>;
  passwordChanged: () => void;
};

const SessionContext = createContext<SessionApi | undefined>(undefined);

function loginPath(reason: 'expired' | undefined): string {
  const here = window.location.pathname + window.location.search;
  const params = new URLSearchParams();
  if (reason) params.set('reason', reason);
  if (reason === 'expired' && here !== '/workbench' && !here.startsWith('/login')) params.set('next', here);
  const query = params.toString();
  return query ? `/login?${query}` : '/login';
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const adopt = useCallback((session: Session | undefined) => {
    setCsrfToken(session?.csrfToken);
    setState(session ? { status: 'signed-in', session } : { status: 'signed-out' });
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      adopt(undefined);
      if (!window.location.pathname.startsWith('/login')) navigate(loginPath('expired'), { replace: true });
    });
    let cancelled = false;
    api
      .get<Session>('/api/session', undefined, { handleUnauthorized: false })
      .then((session) => !cancelled && adopt(session))
      .catch((error: unknown) => {
        if (cancelled) return;
        // 401 simply means nobody is signed in; anything else also leaves us signed out.
        if (!(error instanceof ApiError && error.status === 401)) console.error(error);
        adopt(undefined);
      });
    return () => {
      cancelled = true;
      setUnauthorizedHandler(undefined);
    };
  }, [adopt]);

  const signOut = useCallback(async () => {
    try {
      await api.del('/api/session');
    } catch (error) {
      // The session may already be gone; signing out locally is still right.
      if (!(error instanceof ApiError && error.status === 401)) console.error(error);
    }
    adopt(undefined);
    // Then out of the platform's unified sign-in too (RP-initiated logout): the provider asks,
    // then returns to /login?reason=signed-out. A full page load, since it leaves the app.
    window.location.assign(`/api/session/oidc/logout?lang=${encodeURIComponent(document.documentElement.lang || 'zh-CN')}`);
  }, [adopt]);

  const passwordChanged = useCallback(() => {
    setState((current) =>
      current.status === 'signed-in' ? { status: 'signed-in', session: { ...current.session, mustChangePassword: false } } : current,
    );
  }, []);

  const value = useMemo(() => ({ state, signOut, passwordChanged }), [state, signOut, passwordChanged]);
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The signed-in session; only for pages rendered inside the authenticated shell. */
export function useCurrentSession(): Session {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('No session');
  return state.session;
}

export function hasAnyRole(session: Session, ...roles: Role[]): boolean {
  return session.user.roles.some((role) => roles.includes(role));
}
