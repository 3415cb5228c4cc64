import { useCallback, useEffect, useRef, useState } from 'react';
import {
  api,
  uploadFile,
  type Application,
  type IdentityCheck,
  type Material,
  type MaterialStatus,
  type Payment,
  type TimelineEntry,
} from '../api';
import { useI18n } from '../i18n';
import { PdfPreview } from '../PdfPreview';
import { Link } from '../router';
import { ApplyPage } from './ApplyPage';
import { ErrorBox, StateBadge, formatSize, formatTime, yuan } from '../ui';

const EDITABLE = new Set(['draft', 'returned']);

// Calls fn every `ms` while `active`, and once at once.
function usePoll(active: boolean, ms: number, fn: () => void) {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => saved.current(), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
}

function Preview({ material }: { material: Material }) {
  const { t } = useI18n();
  const label = t('detail.preview', { name: material.file_name });
  if (material.content_type.startsWith('image/'))
    return <img className="preview" src={`${material.href}?v=${material.sha256.slice(0, 8)}`} alt={label} />;
  return <PdfPreview href={`${material.href}?v=${material.sha256.slice(0, 8)}`} name={material.file_name} width={360} />;
}

function MaterialRow({
  appId,
  m,
  editable,
  limitBytes,
  onChange,
}: {
  appId: string;
  m: MaterialStatus;
  editable: boolean;
  limitBytes: number;
  onChange: () => void;
}) {
  const { t } = useI18n();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [showPreview, setShowPreview] = useState(true);
  const inputId = `file-${m.kind}`;

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    if (file.size > limitBytes) {
      setError(`${file.name}: ${formatSize(file.size)} > ${formatSize(limitBytes)}`);
      return;
    }
    setProgress(0);
    try {
      await uploadFile<Material>(
        `/api/v1/applications/${appId}/materials/${m.kind}?filename=${encodeURIComponent(file.name)}`,
        file,
        setProgress,
      );
      onChange();
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  };
  const remove = async () => {
    setError(null);
    try {
      await api('DELETE', `/api/v1/applications/${appId}/materials/${m.kind}`);
      onChange();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <li className="material" data-kind={m.kind}>
      <div className="material-head">
        <span className="material-label">{m.label}</span>
        {m.stamped && <span className="tag">{t('detail.stamped')}</span>}
        {m.uploaded?.verdict && (
          <span className={`badge ${m.uploaded.verdict === 'accepted' ? 'open' : 'closed'}`}>
            {t(m.uploaded.verdict === 'accepted' ? 'staff.accepted' : 'staff.rejected')}
            {m.uploaded.verdict_reason ? `：${m.uploaded.verdict_reason}` : ''}
          </span>
        )}
      </div>
      <div className="material-status">
        {m.uploaded ? (
          <span className="ok">{t('detail.uploaded', { name: m.uploaded.file_name, size: formatSize(m.uploaded.size) })}</span>
        ) : (
          <span className="muted">{t('detail.notUploaded')}</span>
        )}
      </div>
      {editable && (
        <div className="row">
          <label className="button file-button" htmlFor={inputId}>
            {m.uploaded ? t('detail.replace') : t('detail.choose')}
          </label>
          <input
            id={inputId}
            className="visually-hidden-file"
            type="file"
            accept="image/jpeg,image/png,application/pdf"
            aria-label={`${m.label}：${m.uploaded ? t('detail.replace') : t('detail.choose')}`}
            onChange={(e) => {
              void upload(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
          {m.uploaded && (
            <button type="button" onClick={remove}>
              {t('detail.delete')}
            </button>
          )}
          {m.uploaded && (
            <button type="button" aria-expanded={showPreview} onClick={() => setShowPreview(!showPreview)}>
              {t('detail.preview', { name: '' }).replace(/[：:]\s*$/, '')}
            </button>
          )}
        </div>
      )}
      {progress !== null && (
        <progress max={1} value={progress} aria-label={`${t('detail.uploading')}: ${m.label}`}>
          {Math.round(progress * 100)}%
        </progress>
      )}
      <ErrorBox error={error} />
      {m.uploaded && showPreview && <Preview material={m.uploaded} />}
    </li>
  );
}

function Identity({ app, onChange }: { app: Application; onChange: () => void }) {
  const { t } = useI18n();
  const [checks, setChecks] = useState<IdentityCheck[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api<{ identity_checks: IdentityCheck[] }>('GET', `/api/v1/applications/${app.id}/identity-checks`).then(
      (r) => {
        setChecks((old) => {
          const lastOld = old?.[old.length - 1]?.status;
          const lastNew = r.identity_checks[r.identity_checks.length - 1]?.status;
          if (old && lastOld !== lastNew) onChange();
          return r.identity_checks;
        });
      },
      setError,
    );
  }, [app.id, onChange]);
  useEffect(load, [load]);
  const last = checks?.[checks.length - 1];
  usePoll(last?.status === 'pending', 1500, load);

  const start = async () => {
    setError(null);
    try {
      await api('POST', `/api/v1/applications/${app.id}/identity-checks`);
      load();
    } catch (e) {
      setError(e);
    }
  };
  const passed = checks?.some((c) => c.status === 'passed');

  return (
    <section className="card" aria-labelledby="identity-title">
      <h2 id="identity-title">{t('detail.identity')}</h2>
      {passed ? (
        <p className="ok" role="status">
          ✔ {t('detail.identityPassed')}
        </p>
      ) : last?.status === 'pending' ? (
        <div className="qr-box">
          <p>{t('detail.identityScan')}</p>
          <img className="qr" src={last.qr_png} alt={last.url} width={180} height={180} />
          <p>
            <a href={last.url} target="_blank" rel="noreferrer">
              {t('detail.identityOpen')}
            </a>
          </p>
          <p className="muted" role="status">
            {t('detail.identityWaiting')}
          </p>
        </div>
      ) : (
        <>
          {last?.status === 'failed' && (
            <p className="field-error" role="alert">
              {t('detail.identityFailed', { d: last.detail })}
            </p>
          )}
          {EDITABLE.has(app.state) && (
            <button type="button" onClick={start}>
              {last ? t('detail.identityRetry') : t('detail.identityStart')}
            </button>
          )}
        </>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

function Pay({ app, onChange }: { app: Application; onChange: () => void }) {
  const { t } = useI18n();
  const [payments, setPayments] = useState<Payment[]>([]);
  const [method, setMethod] = useState('wechat');
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api<{ payments: Payment[] }>('GET', `/api/v1/applications/${app.id}/payments`).then((r) => setPayments(r.payments), setError);
  }, [app.id]);
  useEffect(load, [load]);
  const open = payments.filter((p) => p.status === 'created');
  const current = open[open.length - 1];
  // The QR code holds the provider's own link (weixin://…, alipays://…) for a phone app. With the
  // sandbox providers ([hall] dev_endpoints) their "scan and pay" page stands in for the app.
  const sandboxPage = current ? `/sandbox/pay/${current.method}/${encodeURIComponent(current.order_no)}` : '';
  const [sandbox, setSandbox] = useState(false);
  useEffect(() => {
    if (!sandboxPage || current?.method === 'bank_transfer') return;
    fetch(sandboxPage, { credentials: 'same-origin' }).then((r) => setSandbox(r.ok), () => setSandbox(false));
  }, [sandboxPage, current?.method]);
  // The provider's notification reaches the server, not the browser: ask until the state moves.
  usePoll(app.state === 'awaiting_payment' && !!current, 1500, () => {
    onChange();
    load();
  });

  const start = async () => {
    setError(null);
    try {
      await api('POST', `/api/v1/applications/${app.id}/payments`, { method });
      load();
    } catch (e) {
      setError(e);
    }
  };
  const methodName = (m: string) => t(m === 'wechat' ? 'detail.wechat' : m === 'alipay' ? 'detail.alipay' : 'detail.bank');

  return (
    <section className="card" aria-labelledby="pay-title">
      <h2 id="pay-title">{t('detail.pay')}</h2>
      <table className="quote">
        <tbody>
          {app.quote.lines.map((l, i) => (
            <tr key={i}>
              <td>{l.item}</td>
              <td>× {l.quantity}</td>
              <td className="num">{t('common.yuan', { v: yuan(l.amount_fen) })}</td>
            </tr>
          ))}
          <tr className="total">
            <th scope="row">{t('detail.fee')}</th>
            <td />
            <td className="num">{t('common.yuan', { v: app.quote.total })}</td>
          </tr>
        </tbody>
      </table>
      {app.state === 'awaiting_payment' &&
        (current && current.method !== 'bank_transfer' ? (
          <div className="qr-box">
            <p>{t('detail.payScan', { m: methodName(current.method) })}</p>
            {current.qr_png && <img className="qr" src={current.qr_png} alt={current.qr_content} width={180} height={180} />}
            {sandbox && (
              <p>
                <a href={sandboxPage} target="_blank" rel="noreferrer">
                  {t('detail.payOpen')}
                </a>
              </p>
            )}
            <p className="muted" role="status">
              {t('detail.payWaiting')} {current.order_no}
            </p>
          </div>
        ) : current ? (
          <p>{t('detail.bankHint')}</p>
        ) : (
          <fieldset>
            <legend>{t('detail.payWith')}</legend>
            {['wechat', 'alipay', 'bank_transfer'].map((m) => (
              <label key={m} className="choice">
                <input type="radio" name="pay-method" value={m} checked={method === m} onChange={() => setMethod(m)} />
                {methodName(m)}
              </label>
            ))}
            <div>
              <button type="button" className="primary" onClick={start}>
                {t('detail.payStart')}
              </button>
            </div>
          </fieldset>
        ))}
      {app.paid_at && (
        <p className="ok" role="status">
          ✔ {t('detail.paid')}
        </p>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

interface Invoice {
  number: number;
  number_text: string;
  order_no: string;
  amount_fen: number;
  tax_fen: number;
  issued_at: string;
  pdf: string | null;
}

// The electronic invoices of the application's payments (领取电子发票, guide §3).
export function Invoices({ app }: { app: Application }) {
  const { t, lang } = useI18n();
  const [invoices, setInvoices] = useState<Invoice[]>([]);
  useEffect(() => {
    if (!app.paid_at) return;
    api<{ invoices: Invoice[] }>('GET', `/api/v1/applications/${app.id}/invoices`).then((r) => setInvoices(r.invoices), () => setInvoices([]));
  }, [app.id, app.paid_at]);
  if (invoices.length === 0) return null;
  return (
    <section className="card" aria-labelledby="invoice-title">
      <h2 id="invoice-title">{t('invoice.title')}</h2>
      <ul>
        {invoices.map((inv) => (
          <li key={inv.number}>
            {t('invoice.line', { n: inv.number_text, v: yuan(inv.amount_fen), tax: yuan(inv.tax_fen), at: formatTime(inv.issued_at, lang) })}{' '}
            {inv.pdf ? (
              <a href={inv.pdf} download>
                {t('invoice.download')}
              </a>
            ) : (
              <span className="muted">{t('invoice.pending')}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

const STEP_STATES = ['draft', 'awaiting_payment', 'paid', 'in_review', 'approved', 'issued', 'shipped', 'delivered'];

export function ApplicationPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const [app, setApp] = useState<Application | null>(null);
  const [materials, setMaterials] = useState<MaterialStatus[]>([]);
  const [limit, setLimit] = useState(10 * 1024 * 1024);
  const [timeline, setTimeline] = useState<TimelineEntry[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [submitError, setSubmitError] = useState<unknown>(null);

  const reload = useCallback(() => {
    api<Application>('GET', `/api/v1/applications/${id}`).then(setApp, setError);
    api<{ materials: MaterialStatus[]; limit_bytes: number }>('GET', `/api/v1/applications/${id}/materials`).then((r) => {
      setMaterials(r.materials);
      setLimit(r.limit_bytes);
    }, () => {});
    api<{ timeline: TimelineEntry[] }>('GET', `/api/v1/applications/${id}/timeline`).then((r) => setTimeline(r.timeline), () => {});
  }, [id]);
  useEffect(reload, [reload]);

  if (!app) return error ? <ErrorBox error={error} /> : <p>{t('common.loading')}</p>;
  const editable = EDITABLE.has(app.state);

  const submit = async () => {
    setSubmitError(null);
    try {
      await api('POST', `/api/v1/applications/${id}/submit`);
      reload();
    } catch (e) {
      setSubmitError(e);
    }
  };
  const cancel = async () => {
    if (!window.confirm(t('detail.cancel') + '?')) return;
    try {
      await api('POST', `/api/v1/applications/${id}/cancel`, { reason: 'applicant' });
      reload();
    } catch (e) {
      setSubmitError(e);
    }
  };

  const reached = STEP_STATES.indexOf(app.state === 'returned' ? 'draft' : app.state === 'submitted' ? 'awaiting_payment' : app.state);
  const f = app.form;

  return (
    <div className="detail">
      <div className="heading-row">
        <h1>{t('detail.title', { id: app.id })}</h1>
        <StateBadge state={app.state} />
      </div>

      <ol className="steps" aria-label={t('detail.steps')}>
        {STEP_STATES.map((s, i) => (
          <li key={s} className={i < reached ? 'done' : i === reached ? 'current' : ''} aria-current={i === reached ? 'step' : undefined}>
            {t(`state.${s}`)}
          </li>
        ))}
      </ol>

      <section className="card" aria-labelledby="form-title">
        <h2 id="form-title">{t('detail.form')}</h2>
        <dl className="summary">
          <dt>{t('apply.certType')}</dt>
          <dd>{t(`cert.${app.cert_type}`)}</dd>
          <dt>{t('apply.orgName')}</dt>
          <dd>{f.organization.name}</dd>
          <dt>{t('apply.creditCode')}</dt>
          <dd>{f.organization.credit_code}</dd>
          <dt>{t('apply.handler')}</dt>
          <dd>
            {f.handler.name} · {f.handler.id_number} · {f.handler.phone} · {f.handler.email}
          </dd>
          {f.holder && (
            <>
              <dt>{t('apply.holder')}</dt>
              <dd>
                {f.holder.name} · {f.holder.id_number}
              </dd>
            </>
          )}
          <dt>{t('apply.algorithm')}</dt>
          <dd>
            {f.algorithm} · {t('apply.years')} {f.years}
          </dd>
          {f.address && (
            <>
              <dt>{t('apply.address')}</dt>
              <dd>{f.address}</dd>
            </>
          )}
        </dl>
        <p>
          {editable && (
            <>
              <Link className="button" href={`/applications/${id}/edit`}>
                {t('detail.edit')}
              </Link>{' '}
            </>
          )}
          <a className="button" href={`/api/v1/applications/${id}/form.pdf`} download>
            {t('detail.formPdf')}
          </a>{' '}
          <span className="muted">{t('detail.formPdfHint')}</span>
        </p>
      </section>

      <section className="card" aria-labelledby="materials-title">
        <h2 id="materials-title">{t('detail.materials')}</h2>
        <p className="muted">
          {t('detail.limit', { mb: Math.round(limit / 1024 / 1024) })} {t('detail.stampNote')}
        </p>
        <ul className="materials">
          {materials.map((m) => (
            <MaterialRow key={m.kind} appId={id} m={m} editable={editable || app.state === 'awaiting_payment'} limitBytes={limit} onChange={reload} />
          ))}
        </ul>
      </section>

      <Identity app={app} onChange={reload} />

      {editable && (
        <section className="card" aria-labelledby="submit-title">
          <h2 id="submit-title">{t('detail.submit')}</h2>
          {submitError != null && <p>{t('detail.todo')}</p>}
          <ErrorBox error={submitError} />
          <button type="button" className="primary" onClick={submit}>
            {t('detail.submit')}
          </button>
        </section>
      )}

      {!editable && app.state !== 'cancelled' && <Pay app={app} onChange={reload} />}

      <Invoices app={app} />

      {(app.state === 'paid' || app.state === 'in_review') && <p className="notice">{t('detail.reviewNote')}</p>}

      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('detail.timeline')}</h2>
        <ol className="timeline">
          {timeline.map((e, i) => (
            <li key={i}>
              <time dateTime={e.at}>{formatTime(e.at, lang)}</time>
              <span className="timeline-msg">{e.message}</span>
              {e.to && <StateBadge state={e.to} />}
            </li>
          ))}
        </ol>
      </section>

      {['draft', 'returned', 'awaiting_payment', 'paid', 'in_review'].includes(app.state) && (
        <p>
          <button type="button" className="danger" onClick={cancel}>
            {t('detail.cancel')}
          </button>
        </p>
      )}
    </div>
  );
}

export function EditApplication({ id }: { id: string }) {
  const { t } = useI18n();
  const [app, setApp] = useState<Application | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<Application>('GET', `/api/v1/applications/${id}`).then(setApp, setError);
  }, [id]);
  if (!app) return error ? <ErrorBox error={error} /> : <p>{t('common.loading')}</p>;
  return <ApplyPage existing={app} />;
}
