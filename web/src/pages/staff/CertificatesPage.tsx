import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, problemsByField, REVOCATION_REASONS, type IssuedCertificate } from '../../api';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { ErrorBox, Field, formatTime } from '../../ui';
import type { QueueItem } from './types';

// Certificates and revocation (issue 9 §2; docs/ca-side.md): search by serial, credit code or
// subject; the CA operator revokes with an RFC 5280 §5.3.1 reason and a note, after a confirmation
// that names the subject and the serial. The revocation goes into the journal the CRL and OCSP
// responders follow, so both show it after the server's next maintenance pass.

function CertStatus({ c }: { c: IssuedCertificate }) {
  const { t, lang } = useI18n();
  return (
    <span className={`badge cert-${c.status}`} data-status={c.status}>
      {t(`certstatus.${c.status}`)}
      {c.status === 'revoked' && c.revoked_at ? ` · ${formatTime(c.revoked_at, lang)}` : ''}
      {c.revocation_reason ? ` · ${t(`revoke.reason.${c.revocation_reason}`)}` : ''}
    </span>
  );
}

function RevokeForm({ cert, onDone, onCancel }: { cert: IssuedCertificate; onDone: (c: IssuedCertificate) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const local = {
    reason: reason ? null : t('v.required'),
    note: note.trim() ? ([...note].length > 500 ? t('v.length', { min: 1, max: 500, n: [...note].length }) : null) : t('v.required'),
  };
  const errorOf = (f: 'reason' | 'note') => problems[f] ?? (attempted ? local[f] : null);

  const ask = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    setError(null);
    if (local.reason || local.note) {
      document.querySelector<HTMLElement>(local.reason ? '[name="reason"]' : '[name="note"]')?.focus();
      return;
    }
    setConfirming(true);
  };
  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await api<IssuedCertificate>('POST', `/api/v1/staff/certificates/${cert.serial}/revoke`, { reason, note: note.trim() }));
    } catch (err) {
      setProblems(problemsByField(err));
      setError(err);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card revoke" aria-labelledby="revoke-title">
      <h3 id="revoke-title">{t('revoke.title')}</h3>
      <dl className="summary">
        <dt>{t('certs.subject')}</dt>
        <dd>{cert.subject}</dd>
        <dt>{t('certs.serial')}</dt>
        <dd><code>{cert.serial}</code></dd>
      </dl>
      <form onSubmit={ask} noValidate>
        <div className="grid">
          <Field label={t('revoke.reason')} error={errorOf('reason')}>
            {(p) => (
              <select {...p} name="reason" value={reason} disabled={confirming} onChange={(e) => { setReason(e.target.value); setProblems(({ reason: _, ...rest }) => rest); }}>
                <option value="">{t('apply.choose')}</option>
                {REVOCATION_REASONS.map((r) => (
                  <option key={r} value={r}>{t(`revoke.reason.${r}`)}</option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <Field label={t('revoke.note')} error={errorOf('note')} hint={t('revoke.noteHint')}>
          {(p) => <textarea {...p} name="note" rows={3} value={note} disabled={confirming} onChange={(e) => { setNote(e.target.value); setProblems(({ note: _, ...rest }) => rest); }} />}
        </Field>
        {!confirming && (
          <div className="row">
            <button type="submit" className="danger">{t('revoke.submit')}</button>
            <button type="button" onClick={onCancel}>{t('revoke.cancel')}</button>
          </div>
        )}
      </form>
      {confirming && (
        <div className="confirm" role="alertdialog" aria-labelledby="revoke-confirm-text" aria-modal="false">
          <p id="revoke-confirm-text">
            {t('revoke.confirmText', { subject: cert.subject, serial: cert.serial, reason: t(`revoke.reason.${reason}`) })}
          </p>
          <div className="row">
            <button ref={confirmRef} type="button" className="primary" disabled={busy} onClick={revoke}>
              {t('revoke.confirm')}
            </button>
            <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
              {t('revoke.back')}
            </button>
          </div>
        </div>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

function RevokeQueue() {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ items: QueueItem[] }>('GET', '/api/v1/staff/fulfilment-queue').then(
      (r) => setItems(r.items.filter((i) => i.application.business === 'revoke' && i.application.state === 'approved')),
      setError,
    );
  }, []);
  return (
    <section className="card" aria-labelledby="revoke-queue-title">
      <h3 id="revoke-queue-title">{t('revoke.queue')}</h3>
      <ErrorBox error={error} />
      {!items && !error && <p>{t('common.loading')}</p>}
      {items && items.length === 0 && <p>{t('staff.empty')}</p>}
      {items && items.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('home.id')}</th>
              <th scope="col">{t('apply.orgName')}</th>
              <th scope="col">{t('certs.serial')}</th>
              <th scope="col">{t('apply.revokeReason')}</th>
              <th scope="col">{t('staff.due')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.application.id} className={i.overdue ? 'overdue' : ''}>
                <td><Link href={`/staff/applications/${i.application.id}`}>{i.application.id}</Link></td>
                <td>{i.application.form.organization.name}</td>
                <td><code>{i.application.form.certificate_serial}</code></td>
                <td>{t(`revoke.reason.${i.application.form.revoke_reason}`)}</td>
                <td><time dateTime={i.due}>{formatTime(i.due, lang)}</time></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function CertificatesPage({ canRevoke }: { canRevoke: boolean }) {
  const { t, lang } = useI18n();
  const [q, setQ] = useState('');
  const [certs, setCerts] = useState<IssuedCertificate[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [done, setDone] = useState<IssuedCertificate | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const search = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ certificates: IssuedCertificate[] }>('GET', `/api/v1/staff/certificates?limit=50&q=${encodeURIComponent(q.trim())}`);
      setCerts(r.certificates);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const cert = certs?.find((c) => c.serial === chosen) ?? null;

  return (
    <section aria-labelledby="certs-title">
      <h2 id="certs-title">{t('certs.title')}</h2>
      {!canRevoke && <p className="notice">{t('certs.readOnly')}</p>}
      <form className="row staff-filters" onSubmit={search} role="search">
        <Field label={t('certs.query')} hint={t('certs.queryHint')}>
          {(p) => <input {...p} name="q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
        </Field>
        <button type="submit" className="primary" disabled={busy}>{t('certs.search')}</button>
      </form>
      <ErrorBox error={error} />
      <p className="visually-hidden" role="status" aria-live="polite">
        {certs ? t('certs.found', { n: certs.length }) : ''}
      </p>
      {done && (
        <p className="ok" role="status">
          {t('revoke.done', { serial: done.serial })}
        </p>
      )}
      {certs && certs.length === 0 && <p>{t('certs.none')}</p>}
      {certs && certs.length > 0 && (
        <table className="list certs">
          <caption className="visually-hidden">{t('certs.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('certs.serial')}</th>
              <th scope="col">{t('certs.subject')}</th>
              <th scope="col">{t('apply.algorithm')}</th>
              <th scope="col">{t('certs.validity')}</th>
              <th scope="col">{t('home.state')}</th>
              <th scope="col">{t('home.id')}</th>
              {canRevoke && <th scope="col"><span className="visually-hidden">{t('staff.actions')}</span></th>}
            </tr>
          </thead>
          <tbody>
            {certs.map((c) => (
              <tr key={c.serial} data-serial={c.serial}>
                <td><code>{c.serial}</code></td>
                <td>{c.subject}{c.credit_code ? <div className="muted">{c.credit_code}</div> : null}</td>
                <td>{c.algorithm}</td>
                <td>{formatTime(c.not_before, lang)} – {formatTime(c.not_after, lang)}</td>
                <td><CertStatus c={c} /></td>
                <td>{c.application_id ? <Link href={`/staff/applications/${c.application_id}`}>{c.application_id}</Link> : ''}</td>
                {canRevoke && (
                  <td>
                    {c.status === 'good' && (
                      <button type="button" className="danger" aria-label={t('revoke.openFor', { serial: c.serial })} onClick={() => { setChosen(c.serial); setDone(null); }}>
                        {t('revoke.open')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canRevoke && cert && cert.status === 'good' && (
        <RevokeForm
          key={cert.serial}
          cert={cert}
          onCancel={() => setChosen(null)}
          onDone={(c) => {
            setCerts((list) => list?.map((x) => (x.serial === c.serial ? c : x)) ?? null);
            setChosen(null);
            setDone(c);
          }}
        />
      )}
      {canRevoke && <RevokeQueue />}
    </section>
  );
}
