import { useEffect, useLayoutEffect, useState, type FormEvent } from 'react';
import { api, setCsrf, ApiError } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { Field, ErrorBox } from '../ui';
import { checkMobile } from '../validate';

interface DevMessage {
  body: string;
  channel: string;
  sent_at: string;
}

export function LoginPage() {
  const { t } = useI18n();
  const { refresh } = useSession();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [touched, setTouched] = useState(false);
  const [sent, setSent] = useState(false);
  const [sends, setSends] = useState(0);
  const [wait, setWait] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [devCode, setDevCode] = useState<string | null>(null);
  const [devMode, setDevMode] = useState(false);

  // The code field takes the focus in the same commit that shows "code sent", so keyboard users
  // (and anything reading the page at that moment) never find the focus lost on the disabled
  // send button while the dev hint is still loading.
  useLayoutEffect(() => {
    if (sends > 0) document.querySelector<HTMLInputElement>('input[name=code]')?.focus();
  }, [sends]);

  const phoneCheck = checkMobile(phone);
  const phoneError = touched && phoneCheck ? t(phoneCheck.key, phoneCheck.vars) : null;

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  // In development the SMS sandbox's messages are readable (GET /api/v1/dev/messages, [hall]
  // dev_endpoints); production servers answer 404 there and no hint is shown.
  const readDevCode = async (to: string) => {
    try {
      const r = await api<{ messages: DevMessage[] }>('GET', `/api/v1/dev/messages?to=${encodeURIComponent(to)}`);
      setDevMode(true);
      const sms = r.messages.filter((m) => m.channel === 'sms').sort((a, b) => b.sent_at.localeCompare(a.sent_at));
      const m = sms[0]?.body.match(/\d{6}/);
      setDevCode(m ? m[0] : null);
    } catch {
      setDevMode(false);
    }
  };

  const send = async () => {
    setTouched(true);
    setError(null);
    if (phoneCheck) return;
    setBusy(true);
    try {
      await api('POST', '/api/v1/auth/sms-code', { phone });
      setSent(true);
      setSends((n) => n + 1);
      setWait(60);
      await readDevCode(phone);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (phoneCheck) return;
    if (!sent && !code) {
      await send();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ csrf_token: string }>('POST', '/api/v1/auth/login', { phone, code });
      setCsrf(r.csrf_token);
      await refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      <form onSubmit={submit} noValidate>
        <Field label={t('login.phone')} error={phoneError}>
          {(p) => (
            <input
              {...p}
              name="phone"
              type="tel"
              inputMode="numeric"
              autoComplete="tel-national"
              maxLength={11}
              value={phone}
              onChange={(e) => setPhone(e.target.value.trim())}
              onBlur={() => setTouched(true)}
            />
          )}
        </Field>
        <div className="row">
          <button type="button" onClick={send} disabled={busy || wait > 0}>
            {wait > 0 ? t('login.resend', { s: wait }) : t('login.send')}
          </button>
        </div>
        {sent && (
          <p className="notice" role="status">
            {t('login.sent')}
          </p>
        )}
        <Field label={t('login.code')}>
          {(p) => (
            <input
              {...p}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={code}
              onChange={(e) => setCode(e.target.value.trim())}
            />
          )}
        </Field>
        {devMode && (
          <div className="dev-hint" role="note">
            <p>
              {t('login.devhint')} 
              <a href={`/api/v1/dev/messages?to=${encodeURIComponent(phone)}`} target="_blank" rel="noreferrer">
                /api/v1/dev/messages?to={phone}
              </a>
            </p>
            {devCode && <p>{t('login.devcode', { code: devCode })}</p>}
          </div>
        )}
        <ErrorBox error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </section>
  );
}
