// The first page of a PDF drawn on a canvas by pdf.js (loaded only when a PDF is shown; its
// worker is a built asset of this app, nothing is fetched from elsewhere), with a link to the whole
// file. Headless and embedded browsers without a PDF viewer still show the page.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n } from './i18n';

export function PdfPreview({ href, name, width = 480 }: { href: string; name: string; width?: number }) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [pages, setPages] = useState(0);
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState('');

  useEffect(() => {
    let cancelled = false;
    let blobUrl = '';
    let destroy: (() => void) | null = null;
    (async () => {
      try {
        const res = await fetch(href, { credentials: 'same-origin' });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const bytes = await res.arrayBuffer();
        blobUrl = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
        if (!cancelled) setUrl(blobUrl);
        const [pdfjs, worker] = await Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]);
        pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
        const task = pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: false });
        destroy = () => void task.destroy();
        const doc = await task.promise;
        if (cancelled) return;
        setPages(doc.numPages);
        const page = await doc.getPage(1);
        const base = page.getViewport({ scale: 1 });
        const viewport = page.getViewport({ scale: (width / base.width) * (window.devicePixelRatio || 1) });
        const c = canvas.current;
        if (!c || cancelled) return;
        c.width = Math.floor(viewport.width);
        c.height = Math.floor(viewport.height);
        c.style.width = `${width}px`;
        await page.render({ canvasContext: c.getContext('2d')!, viewport }).promise;
        if (!cancelled) c.dataset.rendered = 'true';
      } catch (e) {
        if (!cancelled) setFailed(String(e));
      }
    })();
    return () => {
      cancelled = true;
      destroy?.();
      if (blobUrl) URL.revokeObjectURL(blobUrl);
    };
  }, [href, width]);

  return (
    <figure className="pdf-preview">
      {!failed && <canvas ref={canvas} className="preview" role="img" aria-label={t('detail.preview', { name })} />}
      <figcaption>
        {pages > 0 && <span className="muted">{t('pdf.pages', { n: pages })} </span>}
        {url && (
          <a href={url} target="_blank" rel="noreferrer">
            {t('pdf.open')}
          </a>
        )}
        {failed && <span className="field-error"> {t('pdf.failed')}</span>}
      </figcaption>
    </figure>
  );
}

export interface PageSize {
  pages: number;
  // The shown page's size in PDF points (1/72 inch), as displayed (rotation applied).
  widthPt: number;
  heightPt: number;
}

// Any page of a PDF held in memory, drawn by pdf.js at `width` CSS pixels; `children` are laid
// over the page (position: absolute, in CSS pixels from its top-left corner). For the stamp page.
export function PdfPages({
  data,
  page,
  width = 560,
  label,
  onSize,
  onClick,
  children,
}: {
  data: ArrayBuffer;
  page: number;
  width?: number;
  label: string;
  onSize: (size: PageSize) => void;
  onClick?: (xPx: number, yPx: number) => void;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [doc, setDoc] = useState<import('pdfjs-dist').PDFDocumentProxy | null>(null);
  const [height, setHeight] = useState(0);
  const [failed, setFailed] = useState('');
  const sizeRef = useRef(onSize);
  sizeRef.current = onSize;

  useEffect(() => {
    let cancelled = false;
    let destroy: (() => void) | null = null;
    setDoc(null);
    setFailed('');
    (async () => {
      try {
        const [pdfjs, worker] = await Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]);
        pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
        // pdf.js takes the buffer over: give it a copy, the caller keeps the bytes to sign.
        const task = pdfjs.getDocument({ data: new Uint8Array(data.slice(0)), isEvalSupported: false });
        destroy = () => void task.destroy();
        const d = await task.promise;
        if (!cancelled) setDoc(d);
      } catch (e) {
        if (!cancelled) setFailed(String(e));
      }
    })();
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [data]);

  useEffect(() => {
    if (!doc) return;
    let cancelled = false;
    (async () => {
      try {
        const p = await doc.getPage(Math.min(Math.max(page, 1), doc.numPages));
        const base = p.getViewport({ scale: 1 });
        sizeRef.current({ pages: doc.numPages, widthPt: base.width, heightPt: base.height });
        const viewport = p.getViewport({ scale: (width / base.width) * (window.devicePixelRatio || 1) });
        const c = canvas.current;
        if (!c || cancelled) return;
        delete c.dataset.rendered;
        c.width = Math.floor(viewport.width);
        c.height = Math.floor(viewport.height);
        c.style.width = `${width}px`;
        setHeight((width * base.height) / base.width);
        await p.render({ canvasContext: c.getContext('2d')!, viewport }).promise;
        if (!cancelled) c.dataset.rendered = 'true';
      } catch (e) {
        if (!cancelled) setFailed(String(e));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [doc, page, width]);

  return (
    <figure className="pdf-preview pdf-pages">
      {failed ? (
        <p className="field-error">{t('pdf.failed')}</p>
      ) : (
        <div
          className="page-stage"
          style={{ width: `${width}px`, height: height ? `${height}px` : undefined }}
          onClick={(e) => {
            if (!onClick) return;
            const r = e.currentTarget.getBoundingClientRect();
            onClick(e.clientX - r.left, e.clientY - r.top);
          }}
        >
          <canvas ref={canvas} className="preview" role="img" aria-label={label} />
          {children}
        </div>
      )}
    </figure>
  );
}
