import { useCallback, useEffect, useMemo, useState, type DragEvent, type KeyboardEvent, type PointerEvent } from 'react';
import { api, ApiError, postFile } from '../api';
import { useI18n } from '../i18n';
import { PdfPages, type PageSize } from '../PdfPreview';
import { Link } from '../router';
import { ErrorBox, Field } from '../ui';

// Stamping a PDF in the browser (issue 9 §3): the seal's key is on the customer's Ukey, which a
// page cannot reach, so the page talks to the local Ukey agent (`eseal ukey agent`, on
// 127.0.0.1) that signs with it. The admin places the seal's picture at its real size on a pdf.js
// preview (click, drag, or arrow keys), types the Ukey PIN (sent only to the agent on this
// machine, never to the platform), and gets the signed PDF back; the platform then records the
// use from the signed document itself (POST …/uses/document, verified by the server).

interface Seal {
  id: string;
  kind: string;
  name: string;
  status: string;
  bound_certificates: string[];
  esl: string;
  picture: { png: string; width_mm: number; height_mm: number } | null;
}
interface AgentToken {
  serial: string;
  label: string;
  driver: string;
  pin_locked: boolean;
  has_key: boolean;
  key_id?: string;
  certificate: { subject: string; serial: string; organization: string } | null;
}
interface AgentStatus {
  version: string;
  tokens: AgentToken[];
  error?: { code: string; detail: string };
}
interface UseRecord {
  id: number;
  verified: boolean;
  document_sha256: string;
}

const MM_PER_PT = 25.4 / 72;
const PREVIEW_WIDTH = 560;
const MAX_PDF_BYTES = 100 * 1024 * 1024; // the agent's limit
const AGENT_KEY = 'eseal.agent';

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function agentProblem(res: Response): Promise<ApiError> {
  try {
    const p = await res.json();
    const warning = p.pin_warning ? ` (${p.pin_warning})` : '';
    return new ApiError(res.status, p.code ?? '', (p.detail ?? '') + warning, p.problems ?? []);
  } catch {
    return new ApiError(res.status, '', res.statusText);
  }
}

function Agent({ url, setUrl, status, recheck }: { url: string; setUrl: (u: string) => void; status: AgentStatus | null | 'missing'; recheck: () => void }) {
  const { t } = useI18n();
  const command = `eseal ukey agent --origin ${location.origin}`;
  return (
    <div className="agent" aria-live="polite">
      <div className="row">
        <Field label={t('stamp.agentUrl')}>{(p) => <input {...p} name="agent" value={url} onChange={(e) => setUrl(e.target.value.trim())} />}</Field>
        <button type="button" onClick={recheck}>
          {t('stamp.agentCheck')}
        </button>
      </div>
      {status === null && <p className="muted">{t('common.loading')}</p>}
      {status === 'missing' && (
        <div className="agent-missing" data-agent="missing">
          <p className="field-error">{t('stamp.agentMissing')}</p>
          <pre className="message">{command}</pre>
        </div>
      )}
      {status && status !== 'missing' && (
        <p className="agent-found" data-agent="found">
          {t('stamp.agentFound', { n: status.tokens.length })}
          {status.error && <span className="field-error"> {status.error.detail}</span>}
        </p>
      )}
    </div>
  );
}

export function StampPage() {
  const { t } = useI18n();
  const [seals, setSeals] = useState<Seal[] | null>(null);
  const [sealId, setSealId] = useState(() => new URLSearchParams(location.search).get('seal') ?? '');
  const [agentUrl, setAgentUrlState] = useState(() => localStorage.getItem(AGENT_KEY) || 'http://127.0.0.1:17380');
  const [agent, setAgent] = useState<AgentStatus | null | 'missing'>(null);
  const [serial, setSerial] = useState('');
  const [pdf, setPdf] = useState<{ name: string; data: ArrayBuffer } | null>(null);
  const [page, setPage] = useState(1);
  const [size, setSize] = useState<PageSize | null>(null);
  const [pos, setPos] = useState<{ x: number; y: number } | null>(null); // the seal's centre, mm from top-left
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ url: string; name: string; use: UseRecord | null } | null>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    api<{ seals: Seal[] }>('GET', '/api/v1/seals').then((r) => {
      const usable = r.seals.filter((s) => s.status === 'active' && s.bound_certificates.length > 0 && s.picture);
      setSeals(usable);
      setSealId((id) => (usable.some((s) => s.id === id) ? id : usable[0]?.id ?? ''));
    }, setError);
  }, []);
  const seal = seals?.find((s) => s.id === sealId) ?? null;

  const setAgentUrl = (u: string) => {
    setAgentUrlState(u);
    localStorage.setItem(AGENT_KEY, u);
  };
  const checkAgent = useCallback(async () => {
    setAgent(null);
    try {
      const res = await fetch(`${agentUrl.replace(/\/+$/, '')}/v1/status`, { mode: 'cors', credentials: 'omit' });
      if (!res.ok) throw await agentProblem(res);
      setAgent((await res.json()) as AgentStatus);
    } catch {
      setAgent('missing');
    }
  }, [agentUrl]);
  useEffect(() => {
    void checkAgent();
  }, [checkAgent]);
  // The Ukey whose certificate the seal binds, else the first with a certificate.
  const tokens = agent && agent !== 'missing' ? agent.tokens.filter((k) => k.certificate) : [];
  useEffect(() => {
    if (tokens.some((k) => k.serial === serial)) return;
    const bound = tokens.find((k) => seal?.bound_certificates.includes(k.certificate!.serial));
    setSerial((bound ?? tokens[0])?.serial ?? '');
  }, [agent, seal]);

  const scale = size ? PREVIEW_WIDTH / size.widthPt / MM_PER_PT : 0; // CSS px per mm
  const pageMm = size ? { w: size.widthPt * MM_PER_PT, h: size.heightPt * MM_PER_PT } : null;
  const clamp = useCallback(
    (x: number, y: number) => (pageMm ? { x: Math.min(Math.max(x, 0), pageMm.w), y: Math.min(Math.max(y, 0), pageMm.h) } : { x, y }),
    [pageMm?.w, pageMm?.h],
  );

  const choose = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setResult(null);
    if (file.type && file.type !== 'application/pdf' && !file.name.toLowerCase().endsWith('.pdf')) {
      setError(new ApiError(0, 'stamp.not_pdf', t('stamp.notPdf')));
      return;
    }
    if (file.size > MAX_PDF_BYTES) {
      setError(new ApiError(413, 'agent.pdf_too_large', t('stamp.tooLarge')));
      return;
    }
    setPdf({ name: file.name, data: await file.arrayBuffer() });
    setPage(1);
    setPos(null);
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    void choose(e.dataTransfer.files?.[0]);
  };

  const move = (e: PointerEvent<HTMLImageElement>) => {
    if (!dragging || !scale) return;
    const stage = e.currentTarget.parentElement!.getBoundingClientRect();
    setPos(clamp((e.clientX - stage.left) / scale, (e.clientY - stage.top) / scale));
  };
  const keys = (e: KeyboardEvent) => {
    if (!pos) return;
    const step = e.shiftKey ? 10 : 1;
    const d: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const delta = d[e.key];
    if (!delta) return;
    e.preventDefault();
    setPos(clamp(pos.x + delta[0], pos.y + delta[1]));
  };

  const stamp = async () => {
    if (!seal || !pdf || !pos || !serial || !pin) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const esl = await fetch(seal.esl, { credentials: 'same-origin' });
      if (!esl.ok) throw new ApiError(esl.status, 'seal.download', `HTTP ${esl.status}`);
      const body = {
        pdf: base64(new Uint8Array(pdf.data)),
        seal: base64(new Uint8Array(await esl.arrayBuffer())),
        page,
        x_mm: Math.round(pos.x * 10) / 10,
        y_mm: Math.round(pos.y * 10) / 10,
        token: serial,
        pin,
      };
      let res: Response;
      try {
        res = await fetch(`${agentUrl.replace(/\/+$/, '')}/v1/pdf/sign`, {
          method: 'POST',
          mode: 'cors',
          credentials: 'omit',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
      } catch {
        setAgent('missing');
        throw new ApiError(0, 'agent.unreachable', t('stamp.agentMissing'));
      }
      if (!res.ok) throw await agentProblem(res);
      setPin('');
      const signed = new Blob([await res.arrayBuffer()], { type: 'application/pdf' });
      const name = pdf.name.replace(/\.pdf$/i, '') + '-sealed.pdf';
      const url = URL.createObjectURL(signed);
      setResult({ url, name, use: null });
      // The platform records the use from the signed document (it verifies the signature itself).
      const use = await postFile<UseRecord>(`/api/v1/seals/${seal.id}/uses/document?name=${encodeURIComponent(name)}`, signed);
      setResult({ url, name, use });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const posText = pos ? t('stamp.position', { p: page, x: pos.x.toFixed(1), y: pos.y.toFixed(1) }) : t('stamp.placeHint');
  const sealPx = seal?.picture && scale ? { w: seal.picture.width_mm * scale, h: seal.picture.height_mm * scale } : null;
  const ready = !!(seal && pdf && pos && serial && pin && !busy);
  const pageLabel = useMemo(() => t('stamp.pageLabel', { p: page, n: size?.pages ?? 1 }), [t, page, size?.pages]);

  return (
    <section aria-labelledby="stamp-title" className="stamp">
      <p>
        <Link href="/seals">← {t('seal.title')}</Link>
      </p>
      <h1 id="stamp-title">{t('stamp.title')}</h1>
      <p className="muted">{t('stamp.who')}</p>
      <ErrorBox error={error} />
      {seals && seals.length === 0 && <p>{t('stamp.noSeal')}</p>}
      <div className="grid">
        <Field label={t('stamp.seal')}>
          {(p) => (
            <select {...p} name="seal" value={sealId} onChange={(e) => setSealId(e.target.value)}>
              {seals?.map((s) => (
                <option key={s.id} value={s.id}>
                  {t(`seal.kind.${s.kind}`)} · {s.name} · {s.id}
                </option>
              ))}
            </select>
          )}
        </Field>
        {seal?.picture && <img className="seal-picture" src={seal.picture.png} alt={t('seal.picture', { name: seal.name })} width={84} height={84} />}
      </div>

      <h2>{t('stamp.agent')}</h2>
      <Agent url={agentUrl} setUrl={setAgentUrl} status={agent} recheck={() => void checkAgent()} />
      {tokens.length > 0 && (
        <Field label={t('stamp.token')}>
          {(p) => (
            <select {...p} name="token" value={serial} onChange={(e) => setSerial(e.target.value)}>
              {tokens.map((k) => (
                <option key={k.serial} value={k.serial}>
                  {k.label} · {k.serial} · {k.certificate?.organization || k.certificate?.subject}
                  {seal?.bound_certificates.includes(k.certificate!.serial) ? ` · ${t('stamp.tokenBound')}` : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}

      <h2>{t('stamp.document')}</h2>
      <div className="drop-zone" onDragOver={(e) => e.preventDefault()} onDrop={drop}>
        <Field label={t('stamp.file')} hint={t('stamp.fileHint')}>
          {(p) => <input {...p} name="pdf" type="file" accept="application/pdf,.pdf" onChange={(e) => void choose(e.target.files?.[0])} />}
        </Field>
      </div>
      {pdf && (
        <>
          <div className="row page-nav">
            <button type="button" onClick={() => setPage((n) => Math.max(1, n - 1))} disabled={page <= 1}>
              {t('stamp.prev')}
            </button>
            <span aria-live="polite">{pageLabel}</span>
            <button type="button" onClick={() => setPage((n) => Math.min(size?.pages ?? 1, n + 1))} disabled={!size || page >= size.pages}>
              {t('stamp.next')}
            </button>
          </div>
          <p className="muted" id="stamp-position" aria-live="polite">
            {posText}
          </p>
          <PdfPages
            data={pdf.data}
            page={page}
            width={PREVIEW_WIDTH}
            label={t('detail.preview', { name: `${pdf.name} · ${pageLabel}` })}
            onSize={setSize}
            onClick={(x, y) => {
              if (dragging || !scale) return;
              setPos(clamp(x / scale, y / scale));
            }}
          >
            {pos && sealPx && seal?.picture && (
              <img
                className="placed-seal"
                src={seal.picture.png}
                alt={t('stamp.placed')}
                aria-describedby="stamp-position"
                tabIndex={0}
                draggable={false}
                style={{ left: `${pos.x * scale - sealPx.w / 2}px`, top: `${pos.y * scale - sealPx.h / 2}px`, width: `${sealPx.w}px`, height: `${sealPx.h}px` }}
                onPointerDown={(e) => {
                  e.currentTarget.setPointerCapture(e.pointerId);
                  setDragging(true);
                }}
                onPointerMove={move}
                onPointerUp={() => setTimeout(() => setDragging(false))}
                onClick={(e) => e.stopPropagation()}
                onKeyDown={keys}
              />
            )}
          </PdfPages>
        </>
      )}

      <h2>{t('stamp.sign')}</h2>
      <div className="row">
        <Field label={t('stamp.pin')} hint={t('stamp.pinHint')}>
          {(p) => <input {...p} name="ukey-pin" type="password" autoComplete="off" inputMode="numeric" maxLength={16} value={pin} onChange={(e) => setPin(e.target.value.trim())} />}
        </Field>
        <button type="button" className="primary" onClick={() => void stamp()} disabled={!ready}>
          {busy ? t('stamp.signing') : t('stamp.stamp')}
        </button>
      </div>
      {result && (
        <div className="card stamp-result" role="status">
          <p>
            <a className="button" href={result.url} download={result.name} id="stamp-download">
              {t('stamp.download', { name: result.name })}
            </a>
          </p>
          {result.use && <p data-use-verified={String(result.use.verified)}>{t(result.use.verified ? 'stamp.useVerified' : 'stamp.useRecorded')}</p>}
        </div>
      )}
    </section>
  );
}
