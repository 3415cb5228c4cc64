// The first page of a PDF drawn on a canvas by pdf.js (loaded only when a PDF is shown; its
// worker is a built asset of this app, nothing is fetched from elsewhere), with a link to the whole
// file. Headless and embedded browsers without a PDF viewer still show the page.
import { useEffect, useRef, useState } from 'react';
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
