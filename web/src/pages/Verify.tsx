// /verify: anyone checks a sealed PDF or OFD (guide §2; POST /api/v1/verify, no login). The file
// is sent as the request body with upload progress; the report shows each signature green or red
// with its seal picture, signer, seal and every problem.
import { useState, type DragEvent } from 'react';
import { ApiError } from '../api';
import { useI18n, type T } from '../i18n';
import { ErrorBox, formatSize, formatTime } from '../ui';

interface Problem {
  code: string;
  message: string;
}
interface Signer {
  subject: string;
  organization: string | null;
  credit_code: string | null;
}
interface VerifiedSignature {
  id: string;
  valid: boolean;
  integrity: boolean;
  chain: boolean;
  signer: Signer | null;
  seal: { name: string; type: string; es_id: string; valid_from: string; valid_to: string } | null;
  signed_at: string | null;
  claimed_time: string | null;
  time_stamp: { present: boolean; checked: boolean; ok?: boolean; time?: string } | null;
  image: string | null;
  pages?: number[];
  revocation?: string;
  problems: Problem[];
  warnings: Problem[];
}
export interface VerifyReport {
  kind: 'pdf' | 'ofd';
  valid: boolean;
  file_size: number;
  sha256: string;
  verified_at: string;
  signatures: VerifiedSignature[];
  problems: Problem[];
  warnings: Problem[];
}

// POST with upload progress (fetch cannot report it; XHR can). No session, no CSRF: public.
function postDocument(file: Blob, onProgress: (f: number) => void): Promise<VerifyReport> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/verify');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: any = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status === 200 && body) resolve(body as VerifyReport);
      else reject(new ApiError(xhr.status, body?.code ?? '', body?.detail ?? xhr.statusText, body?.problems ?? []));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.send(file);
  });
}

function Check({ ok, label, t }: { ok: boolean; label: string; t: T }) {
  return (
    <span className={`badge ${ok ? 'open' : 'closed'}`}>
      {label}: {t(ok ? 'verify.pass' : 'verify.fail')}
    </span>
  );
}

function ProblemList({ items, className }: { items: Problem[]; className?: string }) {
  if (items.length === 0) return null;
  return (
    <ul className={className}>
      {items.map((p, i) => (
        <li key={i}>
          {p.message} <code>{p.code}</code>
        </li>
      ))}
    </ul>
  );
}

function SignatureCard({ s, n }: { s: VerifiedSignature; n: number }) {
  const { t, lang } = useI18n();
  const color = s.valid ? 'var(--ok)' : 'var(--red)';
  return (
    <li className="card" data-valid={s.valid} style={{ borderLeft: `6px solid ${color}`, display: 'flex', gap: '1rem', flexWrap: 'wrap' }}>
      {/* OFD: the seal's own picture; PDF: the picture the signature widget draws. */}
      {s.image && <img src={s.image} alt={t('verify.sealImage', { name: s.seal?.name ?? s.signer?.organization ?? '' })} style={{ width: '8rem', height: '8rem', objectFit: 'contain' }} />}
      <div style={{ flex: '1 1 20rem' }}>
        <h3 style={{ color, marginTop: 0 }}>
          {t('verify.signatureN', { n })} — {t(s.valid ? 'verify.sigValid' : 'verify.sigInvalid')}
        </h3>
        <div className="row" style={{ gap: '.5rem', flexWrap: 'wrap' }}>
          <Check ok={s.integrity} label={t('verify.integrity')} t={t} />
          <Check ok={s.chain} label={t('verify.chain')} t={t} />
        </div>
        <dl className="summary">
          {s.signer?.organization && (
            <>
              <dt>{t('verify.organization')}</dt>
              <dd>{s.signer.organization}</dd>
            </>
          )}
          {s.signer?.credit_code && (
            <>
              <dt>{t('verify.creditCode')}</dt>
              <dd>{s.signer.credit_code}</dd>
            </>
          )}
          {s.signer && (
            <>
              <dt>{t('verify.subject')}</dt>
              <dd>
                <code>{s.signer.subject}</code>
              </dd>
            </>
          )}
          {s.seal && (
            <>
              <dt>{t('verify.sealName')}</dt>
              <dd>
                {s.seal.name}（{s.seal.type}）
              </dd>
              <dt>{t('verify.esId')}</dt>
              <dd>
                <code>{s.seal.es_id}</code>
              </dd>
            </>
          )}
          {s.signed_at && (
            <>
              <dt>{t('verify.signedAt')}</dt>
              <dd>{formatTime(s.signed_at, lang)}</dd>
            </>
          )}
          {/* the signer's own claim (PDF /M), shown when nothing better dates the signature */}
          {s.claimed_time && !s.signed_at && (
            <>
              <dt>{t('verify.claimedTime')}</dt>
              <dd>{s.claimed_time}</dd>
            </>
          )}
          <dt>{t('verify.timeStamp')}</dt>
          <dd>
            {!s.time_stamp
              ? t('verify.tsNone')
              : !s.time_stamp.checked
                ? t('verify.tsUnchecked')
                : s.time_stamp.ok
                  ? `${t('verify.pass')} ${formatTime(s.time_stamp.time, lang)}`
                  : t('verify.fail')}
          </dd>
          {s.pages && s.pages.length > 0 && (
            <>
              <dt>{t('verify.pages')}</dt>
              <dd>{s.pages.join(', ')}</dd>
            </>
          )}
        </dl>
        <ProblemList items={s.problems} className="error-box" />
        <ProblemList items={s.warnings} className="muted" />
      </div>
    </li>
  );
}

export function VerifyPage() {
  const { t, lang } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [over, setOver] = useState(false);

  const run = async (f: File | undefined) => {
    if (!f) return;
    setFile(f);
    setReport(null);
    setError(null);
    setProgress(0);
    try {
      setReport(await postDocument(f, setProgress));
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  };
  const drop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    void run(e.dataTransfer.files?.[0]);
  };

  return (
    <section>
      <h1>{t('verify.title')}</h1>
      <p className="muted">{t('verify.intro')}</p>
      <div
        className="card"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        style={{ border: `2px dashed ${over ? 'var(--focus)' : 'var(--line)'}`, textAlign: 'center', padding: '2rem 1rem' }}
      >
        <p>{t('verify.drop')}</p>
        <label className="button file-button" htmlFor="verify-file">
          {t('verify.choose')}
        </label>
        <input
          id="verify-file"
          className="visually-hidden-file"
          type="file"
          accept=".pdf,.ofd,application/pdf,application/ofd"
          onChange={(e) => {
            void run(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        {file && (
          <p className="muted">
            {file.name} · {formatSize(file.size)}
          </p>
        )}
        {progress !== null && (
          <progress max={1} value={progress} aria-label={t('verify.uploading')}>
            {Math.round(progress * 100)}%
          </progress>
        )}
      </div>
      <ErrorBox error={error} />
      {report && (
        <div aria-live="polite">
          <h2 id="verify-result" data-valid={report.valid} style={{ color: report.valid ? 'var(--ok)' : 'var(--red)' }}>
            {report.valid ? t('verify.valid') : t('verify.invalid')}
          </h2>
          <p className="muted">
            {t('verify.summary', { kind: report.kind.toUpperCase(), n: report.signatures.length, at: formatTime(report.verified_at, lang) })}
            <br />
            SHA-256 <code>{report.sha256}</code>
          </p>
          <ProblemList items={report.problems} className="error-box" />
          <ProblemList items={report.warnings} className="muted" />
          <ol style={{ listStyle: 'none', padding: 0 }}>
            {report.signatures.map((s, i) => (
              <SignatureCard key={i} s={s} n={i + 1} />
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
