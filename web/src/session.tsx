// Who is logged in: an applicant (/api/v1/me) or a staff member (/api/v1/staff/me). The CSRF token
// comes with either and goes on every write (api.ts).
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, onUnauthorized, setCsrf, type Me } from './api';

export interface StaffMe {
  login: string;
  display_name?: string;
  roles: string[];
  csrf_token: string;
}

interface Session {
  loading: boolean;
  me: Me | null;
  staff: StaffMe | null;
  refresh: () => Promise<void>;
  logout: () => Promise<void>;
}

const Ctx = createContext<Session>({
  loading: true,
  me: null,
  staff: null,
  refresh: async () => {},
  logout: async () => {},
});

export function SessionProvider({ children }: { children: ReactNode }) {
  const [loading, setLoading] = useState(true);
  const [me, setMe] = useState<Me | null>(null);
  const [staff, setStaff] = useState<StaffMe | null>(null);

  const refresh = useCallback(async () => {
    // One session cookie for both kinds of user: /staff/me answers staff only (403 for an
    // applicant), /me answers any session, so staff are asked for first.
    try {
      const s = await api<StaffMe>('GET', '/api/v1/staff/me');
      setCsrf(s.csrf_token);
      setStaff(s);
      setMe(null);
    } catch {
      setStaff(null);
      try {
        const m = await api<Me>('GET', '/api/v1/me');
        setCsrf(m.csrf_token);
        setMe(m);
      } catch {
        setMe(null);
      }
    } finally {
      setLoading(false);
    }
  }, []);

  const logout = useCallback(async () => {
    try {
      await api('POST', '/api/v1/auth/logout');
    } catch {
      /* already logged out */
    }
    setCsrf('');
    setMe(null);
    setStaff(null);
  }, []);

  useEffect(() => {
    onUnauthorized(() => void refresh());
    void refresh();
  }, [refresh]);

  return <Ctx.Provider value={{ loading, me, staff, refresh, logout }}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  return useContext(Ctx);
}
