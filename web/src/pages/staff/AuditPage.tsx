import { useEffect, useState, type FormEvent } from 'react';
import { api, type AuditEvent, type AuditPage as AuditPageData, type AuditVerdict } from '../../api';
import { useI18n } from '../../i18n';
import { ErrorBox, Field, formatTime } from '../../ui';

// The audit log (issue 9 §2; auditor and admin): the hash-chained events newest first, filtered by
// actor, action prefix and object, paged back with next_before, and the chain verified on request
// (each event's hash covers the previous one's, so a changed or removed row breaks it).

interface Filters {
  actor: string;
  action: string;
  object: string;
  limit: string;
}

function query(f: Filters, before: number | null): string {
  const p = new URLSearchParams({ limit: f.limit });
  if (before != null) p.set('before', String(before));
  for (const k of ['actor', 'action', 'object'] as const) if (f[k].trim()) p.set(k, f[k].trim());
  return `/api/v1/staff/audit?${p}`;
}

export function AuditPage() {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<Filters>({ actor: '', action: '', object: '', limit: '50' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [verdict, setVerdict] = useState<AuditVerdict | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setEvents(null);
    setError(null);
    api<AuditPageData>('GET', query(filters, null)).then((r) => {
      setEvents(r.events);
      setNext(r.next_before);
    }, setError);
  }, [filters]);

  const older = async () => {
    if (next == null) return;
    setBusy(true);
    try {
      const r = await api<AuditPageData>('GET', query(filters, next));
      setEvents((e) => [...(e ?? []), ...r.events]);
      setNext(r.next_before);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const verify = async () => {
    setBusy(true);
    setVerdict(null);
    setVerifyError(null);
    try {
      setVerdict(await api<AuditVerdict>('GET', '/api/v1/staff/audit/verify'));
    } catch (err) {
      setVerifyError(err);
    } finally {
      setBusy(false);
    }
  };
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({ ...draft });
  };
  const field = (k: 'actor' | 'action' | 'object', label: string, hint?: string) => (
    <Field label={label} hint={hint}>
      {(p) => <input {...p} name={k} value={draft[k]} onChange={(e) => setDraft((d) => ({ ...d, [k]: e.target.value }))} />}
    </Field>
  );

  return (
    <section aria-labelledby="audit-title">
      <div className="heading-row">
        <h2 id="audit-title">{t('audit.title')}</h2>
        <button type="button" onClick={verify} disabled={busy}>
          {t('audit.verify')}
        </button>
      </div>
      <div aria-live="polite" role="status" className="audit-verdict">
        {verdict && verdict.ok && <p className="ok" data-ok="true">{t('audit.intact', { n: verdict.events })}</p>}
        {verdict && !verdict.ok && (
          <div className="error-box" data-ok="false">
            <strong>{t('audit.broken', { n: verdict.breaks.length, of: verdict.events })}</strong>
            <ul>
              {verdict.breaks.map((b) => (
                <li key={b.id}>
                  #{b.id}: {b.problem}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <ErrorBox error={verifyError} />
      <form className="row staff-filters" onSubmit={apply} aria-label={t('audit.filters')}>
        {field('actor', t('audit.actor'))}
        {field('action', t('audit.action'), t('audit.actionHint'))}
        {field('object', t('audit.object'))}
        <Field label={t('audit.limit')}>
          {(p) => (
            <select {...p} name="limit" value={draft.limit} onChange={(e) => setDraft((d) => ({ ...d, limit: e.target.value }))}>
              {['20', '50', '100', '200'].map((n) => (
                <option key={n} value={n}>{n}</option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="primary">
          {t('audit.filter')}
        </button>
      </form>
      <ErrorBox error={error} />
      {!events && !error && <p>{t('common.loading')}</p>}
      {events && events.length === 0 && <p>{t('audit.none')}</p>}
      {events && events.length > 0 && (
        <table className="list audit">
          <caption className="visually-hidden">{t('audit.title')}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('audit.at')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.object')}</th>
              <th scope="col">{t('audit.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td className="num">{e.id}</td>
                <td><time dateTime={e.at}>{formatTime(e.at, lang)}</time></td>
                <td>{e.actor}</td>
                <td><code>{e.action}</code></td>
                <td>{e.object}</td>
                <td className="audit-detail" title={`SHA-256 ${e.hash}`}>{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next != null && (
        <button type="button" onClick={older} disabled={busy}>
          {t('audit.older')}
        </button>
      )}
    </section>
  );
}
