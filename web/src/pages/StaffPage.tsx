import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, problemsByField, setCsrf, type Material, type MaterialStatus, type Payment, type TimelineEntry } from '../api';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { PdfPreview } from '../PdfPreview';
import { Invoices } from './ApplicationPage';
import { ErrorBox, Field, StateBadge, formatSize, formatTime } from '../ui';
import { AuditPage } from './staff/AuditPage';
import { CertificatesPage } from './staff/CertificatesPage';
import { CounterPage, CounterSitting } from './staff/CounterPage';
import { mayUse, type Desk, type QueueItem, type Token } from './staff/types';

// The CA staff's console over /api/v1/staff (issue 7): review queue with deadlines, the material
// viewer with per-material verdicts, approve / return, issuance onto a Ukey from the inventory,
// shipping and hand-over; and (issue 9 §2, pages under ./staff/) counter mode, certificates and
// revocation, the audit log, and confirming bank transfers. The navigation shows each part only to
// the roles that may use it (GET /api/v1/staff/me gives the roles).

export function StaffLogin() {
  const { t } = useI18n();
  const { refresh } = useSession();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ csrf_token: string }>('POST', '/api/v1/staff/login', { login, password });
      setCsrf(r.csrf_token);
      await refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card narrow" aria-labelledby="staff-login-title">
      <h1 id="staff-login-title">{t('staff.login')}</h1>
      <form onSubmit={submit} noValidate>
        <Field label={t('staff.loginName')}>
          {(p) => <input {...p} name="login" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value.trim())} />}
        </Field>
        <Field label={t('staff.password')}>
          {(p) => (
            <input {...p} name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          )}
        </Field>
        <ErrorBox error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </section>
  );
}

function Queue({ kind }: { kind: 'review' | 'fulfilment' }) {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setItems(null);
    api<{ items: QueueItem[] }>('GET', `/api/v1/staff/${kind}-queue`).then((r) => setItems(r.items), setError);
  }, [kind]);
  if (error) return <ErrorBox error={error} />;
  if (!items) return <p>{t('common.loading')}</p>;
  if (items.length === 0) return <p>{t('staff.empty')}</p>;
  return (
    <table className="list">
      <caption className="visually-hidden">{t(kind === 'review' ? 'staff.reviewQueue' : 'staff.fulfilmentQueue')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('home.id')}</th>
          <th scope="col">{t('apply.orgName')}</th>
          <th scope="col">{t('apply.certType')}</th>
          <th scope="col">{t('home.state')}</th>
          <th scope="col">{t('staff.due')}</th>
          <th scope="col">{t('staff.reviewer')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.application.id} className={i.overdue ? 'overdue' : ''}>
            <td>
              <Link href={`/staff/applications/${i.application.id}`}>{i.application.id}</Link>
            </td>
            <td>{i.application.form.organization.name}</td>
            <td>{t(`cert.${i.application.cert_type}`)}</td>
            <td>
              <StateBadge state={i.application.state} />
            </td>
            <td>
              <time dateTime={i.due}>{formatTime(i.due, lang)}</time>{' '}
              {i.overdue && <span className="badge closed">{t('staff.overdue')}</span>}
            </td>
            <td>{i.reviewer}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Tokens() {
  const { t } = useI18n();
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ tokens: Token[] }>('GET', '/api/v1/staff/tokens').then((r) => setTokens(r.tokens), setError);
  }, []);
  if (error) return <ErrorBox error={error} />;
  if (!tokens) return <p>{t('common.loading')}</p>;
  if (tokens.length === 0) return <p>{t('staff.noTokens')}</p>;
  return (
    <table className="list">
      <thead>
        <tr>
          <th scope="col">{t('staff.tokenSerial')}</th>
          <th scope="col">{t('staff.tokenLabel')}</th>
          <th scope="col">{t('staff.tokenDriver')}</th>
          <th scope="col">{t('home.state')}</th>
        </tr>
      </thead>
      <tbody>
        {tokens.map((k) => (
          <tr key={k.serial}>
            <td>{k.serial}</td>
            <td>{k.label}</td>
            <td>{k.driver}</td>
            <td>{t(`token.${k.state}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MaterialViewer({ m, editable, onVerdict }: { m: MaterialStatus; editable: boolean; onVerdict: () => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const up = m.uploaded;

  const verdict = async (accepted: boolean) => {
    setError(null);
    try {
      await api<Material>('PUT', `${up!.href}/verdict`.replace('/api/v1/applications/', '/api/v1/staff/applications/'), {
        accepted,
        reason: accepted ? '' : reason,
      });
      onVerdict();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <li className="material" data-kind={m.kind}>
      <div className="material-head">
        <span className="material-label">{m.label}</span>
        {m.stamped && <span className="tag">{t('detail.stamped')}</span>}
        {up?.verdict && (
          <span className={`badge ${up.verdict === 'accepted' ? 'open' : 'closed'}`}>
            {t(up.verdict === 'accepted' ? 'staff.accepted' : 'staff.rejected')}
            {up.verdict_reason ? `：${up.verdict_reason}` : ''}
          </span>
        )}
      </div>
      {!up && <p className="muted">{t('detail.notUploaded')}</p>}
      {up && (
        <>
          <p className="muted">
            <a href={up.href}>{up.file_name}</a> · {formatSize(up.size)} · SHA-256 {up.sha256.slice(0, 16)}…
          </p>
          {up.content_type.startsWith('image/') ? (
            <img className="preview viewer" src={`${up.href}?v=${up.sha256.slice(0, 8)}`} alt={t('detail.preview', { name: up.file_name })} />
          ) : (
            <PdfPreview href={`${up.href}?v=${up.sha256.slice(0, 8)}`} name={up.file_name} width={560} />
          )}
          {editable && (
            <div className="row">
              <button type="button" onClick={() => verdict(true)}>
                {t('staff.accept')}
              </button>
              <Field label={t('staff.rejectReason')}>
                {(p) => <input {...p} name={`reason-${m.kind}`} value={reason} onChange={(e) => setReason(e.target.value)} />}
              </Field>
              <button type="button" className="danger" onClick={() => verdict(false)}>
                {t('staff.reject')}
              </button>
            </div>
          )}
          <ErrorBox error={error} />
        </>
      )}
    </li>
  );
}

// Guide §5 (对公转账): a transfer to the CA's account is matched by staff against the receipt the
// applicant uploaded, then confirmed; the application is then paid as after a QR-code payment.
function BankTransfers({
  id,
  payments,
  receipt,
  canConfirm,
  onConfirmed,
}: {
  id: string;
  payments: Payment[];
  receipt: MaterialStatus | undefined;
  canConfirm: boolean;
  onConfirmed: () => void;
}) {
  const { t, lang } = useI18n();
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const transfers = payments.filter((p) => p.method === 'bank_transfer');
  if (transfers.length === 0) return null;
  const confirm = async (order: string) => {
    setBusy(true);
    setError(null);
    setProblems({});
    try {
      await api<Payment>('POST', `/api/v1/staff/applications/${id}/payments/${order}/confirm`, { note: note.trim() });
      onConfirmed();
    } catch (e) {
      setProblems(problemsByField(e));
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="transfer-title">
      <h2 id="transfer-title">{t('transfer.title')}</h2>
      {receipt?.uploaded && (
        <ul className="materials">
          <MaterialViewer m={receipt} editable={false} onVerdict={onConfirmed} />
        </ul>
      )}
      <ul className="materials">
        {transfers.map((p) => (
          <li key={p.order_no} className="material" data-order={p.order_no}>
            <p>
              {t('transfer.order', { order: p.order_no, v: p.amount })} · {formatTime(p.created_at, lang)} ·{' '}
              <span className={`badge ${p.status === 'paid' ? 'open' : ''}`}>{t(`payment.${p.status}`)}</span>
            </p>
            {p.status === 'created' && (
              <>
                {!receipt?.uploaded && <p className="muted">{t('transfer.noReceipt')}</p>}
                {canConfirm && receipt?.uploaded && (
                  <div className="row">
                    <Field label={t('transfer.note')} error={problems.note}>
                      {(f) => <input {...f} name="transfer-note" value={note} onChange={(e) => setNote(e.target.value)} />}
                    </Field>
                    <button type="button" className="primary" disabled={busy} onClick={() => confirm(p.order_no)}>
                      {t('transfer.confirm')}
                    </button>
                  </div>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
      <ErrorBox error={error} />
    </section>
  );
}

function StaffApplication({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const { staff } = useSession();
  const [desk, setDesk] = useState<Desk | null>(null);
  const [materials, setMaterials] = useState<MaterialStatus[]>([]);
  const [payments, setPayments] = useState<Payment[]>([]);
  const [timeline, setTimeline] = useState<TimelineEntry[]>([]);
  const [tokens, setTokens] = useState<Token[]>([]);
  const [token, setToken] = useState('');
  const [carrier, setCarrier] = useState('顺丰速运');
  const [tracking, setTracking] = useState('');
  const [returnReason, setReturnReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  const reload = useCallback(() => {
    api<Desk>('GET', `/api/v1/staff/applications/${id}/desk`).then(setDesk, setError);
    api<{ materials: MaterialStatus[] }>('GET', `/api/v1/applications/${id}/materials`).then((r) => setMaterials(r.materials), () => {});
    api<{ timeline: TimelineEntry[] }>('GET', `/api/v1/applications/${id}/timeline`).then((r) => setTimeline(r.timeline), () => {});
    api<{ payments: Payment[] }>('GET', `/api/v1/applications/${id}/payments`).then((r) => setPayments(r.payments), () => setPayments([]));
  }, [id]);
  useEffect(reload, [reload]);
  const state = desk?.application.state;
  useEffect(() => {
    if (state !== 'approved') return;
    api<{ tokens: Token[] }>('GET', '/api/v1/staff/tokens?state=in_stock').then((r) => {
      setTokens(r.tokens);
      if (r.tokens[0]) setToken((cur) => cur || r.tokens[0].serial);
    }, () => setTokens([]));
  }, [state]);

  if (!desk) return error ? <ErrorBox error={error} /> : <p>{t('common.loading')}</p>;
  const app = desk.application;
  const f = app.form;
  const act = async (path: string, body?: unknown) => {
    setActionError(null);
    try {
      await api('POST', `/api/v1/staff/applications/${id}/${path}`, body);
      reload();
    } catch (e) {
      setActionError(e);
    }
  };

  return (
    <div className="detail">
      <p>
        <Link href="/staff">← {t('staff.reviewQueue')}</Link>
      </p>
      <div className="heading-row">
        <h1>{t('detail.title', { id: app.id })}</h1>
        <StateBadge state={app.state} />
      </div>
      <section className="card" aria-labelledby="desk-title">
        <h2 id="desk-title">{t('detail.form')}</h2>
        <dl className="summary">
          <dt>{t('apply.certType')}</dt>
          <dd>{t(`cert.${app.cert_type}`)}</dd>
          <dt>{t('apply.orgName')}</dt>
          <dd>{f.organization.name}</dd>
          <dt>{t('apply.creditCode')}</dt>
          <dd>{f.organization.credit_code}</dd>
          <dt>{t('apply.handler')}</dt>
          <dd>
            {f.handler.name} · {f.handler.id_number} · {f.handler.phone}
          </dd>
          {f.address && (
            <>
              <dt>{t('apply.address')}</dt>
              <dd>
                {f.address} {f.recipient} {f.recipient_phone}
              </dd>
            </>
          )}
          {f.service_point && (
            <>
              <dt>{t('apply.servicePoint')}</dt>
              <dd>{f.service_point}</dd>
            </>
          )}
          <dt>{t('staff.reviewDue')}</dt>
          <dd>
            {formatTime(desk.review_due, lang)} {desk.overdue && <span className="badge closed">{t('staff.overdue')}</span>}
          </dd>
          {desk.ship_due && (
            <>
              <dt>{t('staff.shipDue')}</dt>
              <dd>{formatTime(desk.ship_due, lang)}</dd>
            </>
          )}
          {Object.entries(desk.desk)
            .filter(([, v]) => v !== '' && v !== false && v !== 0 && v != null)
            .map(([k, v]) => (
              <div key={k} className="summary-pair">
                <dt>{t(`desk.${k}`)}</dt>
                <dd>{k.endsWith('_at') ? formatTime(String(v), lang) : v === true ? '✔' : String(v)}</dd>
              </div>
            ))}
        </dl>
      </section>

      <section className="card" aria-labelledby="viewer-title">
        <h2 id="viewer-title">{t('staff.materials')}</h2>
        <ul className="materials">
          {materials
            .filter((m) => m.kind !== 'payment_receipt')
            .map((m) => (
              <MaterialViewer key={m.kind} m={m} editable={app.state === 'in_review'} onVerdict={reload} />
            ))}
        </ul>
      </section>

      <BankTransfers
        id={app.id}
        payments={payments}
        receipt={materials.find((m) => m.kind === 'payment_receipt')}
        canConfirm={app.state === 'awaiting_payment' && mayUse(staff?.roles ?? [], 'confirmPayment')}
        onConfirmed={reload}
      />

      <section className="card" aria-labelledby="actions-title">
        <h2 id="actions-title">{t('staff.actions')}</h2>
        {app.state === 'paid' && (
          <button type="button" className="primary" onClick={() => act('claim')}>
            {t('staff.claim')}
          </button>
        )}
        {app.state === 'in_review' && (
          <div className="row">
            <button type="button" className="primary" onClick={() => act('approve')}>
              {t('staff.approve')}
            </button>
            <Field label={t('staff.returnReason')}>
              {(p) => <input {...p} name="return-reason" value={returnReason} onChange={(e) => setReturnReason(e.target.value)} />}
            </Field>
            <button type="button" className="danger" onClick={() => act('return', { reason: returnReason })}>
              {t('staff.return')}
            </button>
          </div>
        )}
        {app.state === 'approved' && app.business === 'revoke' && (
          <button type="button" className="danger" onClick={() => act('fulfil')}>
            {t('revoke.execute', { serial: f.certificate_serial })}
          </button>
        )}
        {app.state === 'approved' && app.business !== 'revoke' && (
          <div className="row">
            <Field label={t('staff.token')}>
              {(p) => (
                <select {...p} name="token" value={token} onChange={(e) => setToken(e.target.value)}>
                  {tokens.length === 0 && <option value="">{t('staff.noTokens')}</option>}
                  {tokens.map((k) => (
                    <option key={k.serial} value={k.serial}>
                      {k.serial} · {k.label} · {k.driver}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button type="button" className="primary" onClick={() => act('fulfil', token ? { token_serial: token } : {})}>
              {t('staff.fulfil')}
            </button>
          </div>
        )}
        {app.state === 'issued' && (
          <div className="row">
            {f.delivery === 'post' ? (
              <>
                <Field label={t('staff.carrier')}>
                  {(p) => <input {...p} name="carrier" value={carrier} onChange={(e) => setCarrier(e.target.value)} />}
                </Field>
                <Field label={t('staff.tracking')}>
                  {(p) => <input {...p} name="tracking_no" value={tracking} onChange={(e) => setTracking(e.target.value.trim())} />}
                </Field>
                <button type="button" className="primary" onClick={() => act('ship', { carrier, tracking_no: tracking })}>
                  {t('staff.ship')}
                </button>
              </>
            ) : (
              <button type="button" className="primary" onClick={() => act('deliver')}>
                {t('staff.handOver')}
              </button>
            )}
          </div>
        )}
        {app.state === 'shipped' && (
          <button type="button" onClick={() => act('deliver')}>
            {t('staff.delivered')}
          </button>
        )}
        <ErrorBox error={actionError} />
      </section>

      <Invoices app={app} />

      <section className="card" aria-labelledby="staff-timeline-title">
        <h2 id="staff-timeline-title">{t('detail.timeline')}</h2>
        <ol className="timeline">
          {timeline.map((e, i) => (
            <li key={i}>
              <time dateTime={e.at}>{formatTime(e.at, lang)}</time>
              <span className="timeline-msg">{e.message}</span>
              <span className="muted">{e.actor}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

export function StaffPage({ path }: { path: string }) {
  const { t } = useI18n();
  const { loading, staff, me } = useSession();
  if (loading) return <p>{t('common.loading')}</p>;
  if (!staff)
    return (
      <>
        {me && <p className="notice">{t('staff.applicantSession')}</p>}
        <StaffLogin />
      </>
    );
  const roles = staff.roles;
  const m = path.match(/^\/staff\/applications\/([A-Za-z0-9_-]+)$/);
  if (m) return <StaffApplication id={m[1]} />;
  const tabs = [
    { href: '/staff', label: t('staff.reviewQueue'), show: true },
    { href: '/staff/fulfilment', label: t('staff.fulfilmentQueue'), show: true },
    { href: '/staff/tokens', label: t('staff.tokens'), show: mayUse(roles, 'tokens') },
    { href: '/staff/counter', label: t('counter.tab'), show: mayUse(roles, 'counter') },
    { href: '/staff/certificates', label: t('certs.tab'), show: mayUse(roles, 'certificates') },
    { href: '/staff/audit', label: t('audit.tab'), show: mayUse(roles, 'audit') },
  ].filter((tab) => tab.show);
  const sitting = path.match(/^\/staff\/counter\/([A-Za-z0-9_-]+)$/);
  const section = sitting ? '/staff/counter' : path;
  // A part of the console the staff member's roles do not allow (a typed or old link): said so,
  // rather than a page of 403s.
  const allowed = tabs.some((tab) => tab.href === section);
  const body = !allowed ? (
    <p className="notice" role="alert">{t('staff.notAllowed')}</p>
  ) : sitting ? (
    <CounterSitting id={sitting[1]} />
  ) : section === '/staff/counter' ? (
    <CounterPage />
  ) : section === '/staff/certificates' ? (
    <CertificatesPage canRevoke={mayUse(roles, 'revoke')} />
  ) : section === '/staff/audit' ? (
    <AuditPage />
  ) : section === '/staff/fulfilment' ? (
    <Queue kind="fulfilment" />
  ) : section === '/staff/tokens' ? (
    <Tokens />
  ) : (
    <Queue kind="review" />
  );
  return (
    <section aria-labelledby="staff-title">
      <div className="heading-row">
        <h1 id="staff-title">{t('staff.console')}</h1>
        <span className="muted">
          {staff.display_name || staff.login} · {roles.map((r) => t(`role.${r}`)).join('、')}
        </span>
      </div>
      <nav aria-label={t('staff.console')} className="tabs">
        {tabs.map((tab) => (
          <Link key={tab.href} href={tab.href} aria-current={section === tab.href ? 'page' : undefined}>
            {tab.label}
          </Link>
        ))}
      </nav>
      {body}
    </section>
  );
}
