import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { ErrorBox, Field, formatTime } from '../ui';
import { checkCreditCode, checkMobile, checkText } from '../validate';

// The seal workspace over /api/v1/seals (issue 8): an organization's seal admin requests seals,
// suspends / resumes / revokes them, authorizes the people who may use them, binds a Ukey (face
// check, then the Ukey's signature over the binding message) and reads the usage log.

interface Seal {
  id: string;
  credit_code: string;
  organization: string;
  kind: string;
  name: string;
  status: string;
  status_reason: string;
  bound_certificates: string[];
  valid_start: string;
  valid_end: string;
  esl: string;
  picture: { png: string; width_mm: number; height_mm: number } | null;
}
interface Authorization {
  id: number;
  name: string;
  phone: string;
  granted_by: string;
  granted_at: string;
  revoked_at: string | null;
}
interface Use {
  id: number;
  document_name: string;
  document_sha256: string;
  signer: string;
  certificate_serial: string;
  at: string;
  verified: boolean;
}
interface Binding {
  id: string;
  message: string;
  expires_at: string;
  identity_check: { url: string; qr_png: string; status: string; detail: string };
}

const KINDS = ['official', 'finance', 'invoice', 'contract', 'legal-rep'];

async function fileBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
// A PEM certificate's body, or the DER file as base64.
async function certificateBase64(file: File): Promise<string> {
  const text = await file.text();
  const m = text.match(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/);
  return m ? m[1].replace(/\s+/g, '') : fileBase64(file);
}

function RequestSeal({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [creditCode, setCreditCode] = useState('');
  const [kind, setKind] = useState('official');
  const [name, setName] = useState('');
  const [scan, setScan] = useState<File | null>(null);
  const [scanWidth, setScanWidth] = useState('42');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const codeCheck = checkCreditCode(creditCode);
  const nameCheck = kind === 'legal-rep' ? checkText(name, 2, 30) : checkText(name, 2, 100, false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (codeCheck || nameCheck) return;
    setError(null);
    try {
      const body: Record<string, unknown> = { credit_code: creditCode, kind, name };
      if (scan) {
        body.scan_base64 = await fileBase64(scan);
        body.scan_width_mm = Number(scanWidth);
      }
      await api('POST', '/api/v1/seals', body);
      setCreditCode('');
      setName('');
      setScan(null);
      setTouched(false);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="seal-request-title">
      <h2 id="seal-request-title">{t('seal.request')}</h2>
      <div className="grid">
        <Field label={t('apply.creditCode')} error={touched && codeCheck ? t(codeCheck.key, codeCheck.vars) : null}>
          {(p) => <input {...p} name="credit_code" maxLength={18} value={creditCode} onChange={(e) => setCreditCode(e.target.value.toUpperCase().trim())} onBlur={() => setTouched(true)} />}
        </Field>
        <Field label={t('seal.kind')}>
          {(p) => (
            <select {...p} name="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
              {KINDS.map((k) => (
                <option key={k} value={k}>{t(`seal.kind.${k}`)}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t(kind === 'legal-rep' ? 'seal.personName' : 'seal.name')} hint={kind === 'legal-rep' ? undefined : t('seal.nameHint')} error={touched && nameCheck ? t(nameCheck.key, nameCheck.vars) : null}>
          {(p) => <input {...p} name="name" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t('seal.scan')} hint={t('seal.scanHint')}>
          {(p) => <input {...p} name="scan" type="file" accept="image/png,image/jpeg" onChange={(e) => setScan(e.target.files?.[0] ?? null)} />}
        </Field>
        {scan && (
          <Field label={t('seal.scanWidth')}>
            {(p) => <input {...p} name="scan_width_mm" type="number" min={10} max={100} value={scanWidth} onChange={(e) => setScanWidth(e.target.value)} />}
          </Field>
        )}
      </div>
      <ErrorBox error={error} />
      <button type="submit" className="primary">
        {t('seal.requestSubmit')}
      </button>
    </form>
  );
}

function Authorizations({ seal }: { seal: Seal }) {
  const { t, lang } = useI18n();
  const [list, setList] = useState<Authorization[]>([]);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api<{ authorizations: Authorization[] }>('GET', `/api/v1/seals/${seal.id}/authorizations`).then((r) => setList(r.authorizations), setError);
  }, [seal.id]);
  useEffect(load, [load]);
  const nameCheck = checkText(name, 2, 30);
  const phoneCheck = checkMobile(phone);
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (nameCheck || phoneCheck) return;
    setError(null);
    try {
      await api('POST', `/api/v1/seals/${seal.id}/authorizations`, { name, phone });
      setName('');
      setPhone('');
      setTouched(false);
      load();
    } catch (err) {
      setError(err);
    }
  };
  const withdraw = async (id: number) => {
    try {
      await api('DELETE', `/api/v1/seals/${seal.id}/authorizations/${id}`);
      load();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div>
      <h3>{t('seal.authorizations')}</h3>
      {list.length === 0 && <p className="muted">{t('seal.noAuthorizations')}</p>}
      <ul>
        {list.map((a) => (
          <li key={a.id}>
            {a.name} · {a.phone} · {formatTime(a.granted_at, lang)}
            {a.revoked_at ? (
              <span className="muted"> · {t('seal.withdrawn')}</span>
            ) : (
              <button type="button" className="link-button" onClick={() => withdraw(a.id)}>
                {t('seal.withdraw')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form className="row" onSubmit={add} noValidate>
        <Field label={t('apply.name')} error={touched && nameCheck ? t(nameCheck.key, nameCheck.vars) : null}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t('apply.phone')} error={touched && phoneCheck ? t(phoneCheck.key, phoneCheck.vars) : null}>
          {(p) => <input {...p} type="tel" maxLength={11} value={phone} onChange={(e) => setPhone(e.target.value.trim())} />}
        </Field>
        <button type="submit">{t('seal.authorize')}</button>
      </form>
      <ErrorBox error={error} />
    </div>
  );
}

function Uses({ seal }: { seal: Seal }) {
  const { t, lang } = useI18n();
  const [uses, setUses] = useState<Use[] | null>(null);
  useEffect(() => {
    api<{ uses: Use[] }>('GET', `/api/v1/seals/${seal.id}/uses?limit=100`).then((r) => setUses(r.uses), () => setUses([]));
  }, [seal.id]);
  return (
    <div>
      <h3>{t('seal.uses')}</h3>
      {uses && uses.length === 0 && <p className="muted">{t('seal.noUses')}</p>}
      {uses && uses.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('seal.useAt')}</th>
              <th scope="col">{t('seal.document')}</th>
              <th scope="col">{t('seal.signer')}</th>
              <th scope="col">{t('desk.certificate_serial')}</th>
              <th scope="col">{t('use.verified')}</th>
            </tr>
          </thead>
          <tbody>
            {uses.map((u) => (
              <tr key={u.id}>
                <td>{formatTime(u.at, lang)}</td>
                <td title={u.document_sha256}>{u.document_name || u.document_sha256.slice(0, 16)}</td>
                <td>{u.signer}</td>
                <td>{u.certificate_serial}</td>
                <td data-verified={String(u.verified)}>{u.verified ? '✓' : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Bind({ seal, onDone }: { seal: Seal; onDone: () => void }) {
  const { t } = useI18n();
  const [binding, setBinding] = useState<Binding | null>(null);
  const [cert, setCert] = useState<File | null>(null);
  const [sig, setSig] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const poll = useCallback(async (id: string) => {
    try {
      setBinding(await api<Binding>('GET', `/api/v1/seals/${seal.id}/bindings/${id}`));
    } catch (e) {
      setError(e);
    }
  }, [seal.id]);
  useEffect(() => {
    if (!binding || binding.identity_check.status !== 'pending') return;
    const timer = setInterval(() => void poll(binding.id), 1500);
    return () => clearInterval(timer);
  }, [binding, poll]);
  const start = async () => {
    setError(null);
    try {
      setBinding(await api<Binding>('POST', `/api/v1/seals/${seal.id}/bindings`));
    } catch (e) {
      setError(e);
    }
  };
  const complete = async () => {
    if (!binding || !cert || !sig) return;
    setError(null);
    try {
      await api('POST', `/api/v1/seals/${seal.id}/bindings/${binding.id}/complete`, {
        certificate: await certificateBase64(cert),
        signature: await fileBase64(sig),
      });
      setBinding(null);
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e : String(e));
    }
  };
  return (
    <div>
      <h3>{t('seal.bind')}</h3>
      {!binding && (
        <button type="button" onClick={start} disabled={seal.status !== 'active'}>
          {t('seal.bindStart')}
        </button>
      )}
      {binding && binding.identity_check.status === 'pending' && (
        <div className="qr-box">
          <p>{t('detail.identityScan')}</p>
          <img className="qr" src={binding.identity_check.qr_png} alt={binding.identity_check.url} width={160} height={160} />
          <a href={binding.identity_check.url} target="_blank" rel="noreferrer">
            {t('detail.identityOpen')}
          </a>
        </div>
      )}
      {binding && binding.identity_check.status === 'failed' && (
        <p className="field-error">{t('detail.identityFailed', { d: binding.identity_check.detail })}</p>
      )}
      {binding && binding.identity_check.status === 'passed' && (
        <div>
          <p>{t('seal.bindSign')}</p>
          <pre className="message">{binding.message}</pre>
          <p>
            <a href={`data:text/plain;charset=utf-8,${encodeURIComponent(binding.message)}`} download="binding-message.txt">
              {t('seal.bindMessage')}
            </a>
          </p>
          <p className="muted">{t('seal.bindSignHow')}</p>
          <div className="grid">
            <Field label={t('seal.bindCert')}>
              {(p) => <input {...p} type="file" accept=".pem,.cer,.crt,.der" onChange={(e) => setCert(e.target.files?.[0] ?? null)} />}
            </Field>
            <Field label={t('seal.bindSig')}>
              {(p) => <input {...p} type="file" accept=".der,.sig,.bin" onChange={(e) => setSig(e.target.files?.[0] ?? null)} />}
            </Field>
          </div>
          <button type="button" className="primary" onClick={complete} disabled={!cert || !sig}>
            {t('seal.bindComplete')}
          </button>
        </div>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

function SealCard({ seal, onChange }: { seal: Seal; onChange: () => void }) {
  const { t, lang } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const move = async (action: 'suspend' | 'resume' | 'revoke') => {
    if (action === 'revoke' && !window.confirm(t('seal.revokeConfirm'))) return;
    setError(null);
    try {
      await api('POST', `/api/v1/seals/${seal.id}/${action}`, action === 'resume' ? undefined : { reason });
      onChange();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <li className="card seal" data-seal={seal.id}>
      <div className="heading-row">
        <h2>
          {t(`seal.kind.${seal.kind}`)} · {seal.name}
        </h2>
        <span className={`badge seal-${seal.status}`}>{t(`seal.status.${seal.status}`)}</span>
      </div>
      {seal.picture && (
        <img className="seal-picture" src={seal.picture.png} alt={t('seal.picture', { name: seal.name })} width={96} height={Math.round((96 * seal.picture.height_mm) / seal.picture.width_mm)} />
      )}
      <dl className="summary">
        <dt>{t('apply.orgName')}</dt>
        <dd>
          {seal.organization} ({seal.credit_code})
        </dd>
        <dt>{t('seal.id')}</dt>
        <dd>{seal.id}</dd>
        <dt>{t('seal.valid')}</dt>
        <dd>
          {formatTime(seal.valid_start, lang)} – {formatTime(seal.valid_end, lang)}
        </dd>
        <dt>{t('seal.bound')}</dt>
        <dd>{seal.bound_certificates.length ? seal.bound_certificates.join(', ') : t('seal.unbound')}</dd>
        {seal.status_reason && (
          <>
            <dt>{t('seal.reason')}</dt>
            <dd>{seal.status_reason}</dd>
          </>
        )}
      </dl>
      <p>
        <a className="button" href={seal.esl} download>
          {t('seal.download')}
        </a>
        {seal.status === 'active' && seal.bound_certificates.length > 0 && (
          <>
            {' '}
            <Link className="button" href={`/seals/stamp?seal=${encodeURIComponent(seal.id)}`}>
              {t('seal.stampLink')}
            </Link>
          </>
        )}
      </p>
      {seal.status !== 'revoked' && seal.status !== 'expired' && (
        <div className="row">
          <Field label={t('seal.reason')}>{(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}</Field>
          {seal.status === 'active' && (
            <button type="button" onClick={() => move('suspend')}>
              {t('seal.suspend')}
            </button>
          )}
          {seal.status === 'suspended' && (
            <button type="button" onClick={() => move('resume')}>
              {t('seal.resume')}
            </button>
          )}
          <button type="button" className="danger" onClick={() => move('revoke')}>
            {t('seal.revoke')}
          </button>
        </div>
      )}
      <ErrorBox error={error} />
      <Bind seal={seal} onDone={onChange} />
      <Authorizations seal={seal} />
      <Uses seal={seal} />
    </li>
  );
}

export function SealsPage() {
  const { t } = useI18n();
  const [seals, setSeals] = useState<Seal[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api<{ seals: Seal[] }>('GET', '/api/v1/seals').then((r) => setSeals(r.seals), setError);
  }, []);
  useEffect(load, [load]);
  return (
    <section aria-labelledby="seals-title">
      <h1 id="seals-title">{t('seal.title')}</h1>
      <p className="muted">{t('seal.who')}</p>
      <ErrorBox error={error} />
      {seals && seals.length === 0 && <p>{t('seal.none')}</p>}
      <ul className="seals">
        {seals?.map((s) => (
          <SealCard key={s.id} seal={s} onChange={load} />
        ))}
      </ul>
      <RequestSeal onDone={load} />
    </section>
  );
}
