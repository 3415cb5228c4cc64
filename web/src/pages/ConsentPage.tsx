import { useEffect, useState } from 'react';
import { api, type Agreement } from '../api';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import { useSession } from '../session';
import { ErrorBox } from '../ui';

// The service agreement and the privacy policy (guide §3 step 2): tick, then 下一步.
export function ConsentPage() {
  const { t } = useI18n();
  const { refresh } = useSession();
  const [docs, setDocs] = useState<Agreement[] | null>(null);
  const [agree, setAgree] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [must, setMust] = useState(false);

  useEffect(() => {
    api<{ agreements: Agreement[] }>('GET', '/api/v1/agreements').then((r) => setDocs(r.agreements), setError);
  }, []);

  const next = async () => {
    if (!agree) {
      setMust(true);
      return;
    }
    const version = (d: string) => docs?.find((a) => a.document === d)?.version ?? '';
    try {
      await api('POST', '/api/v1/consents', { agreement_version: version('agreement'), privacy_version: version('privacy') });
      await refresh();
      navigate('/apply');
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="card" aria-labelledby="consent-title">
      <h1 id="consent-title">{t('consent.title')}</h1>
      {!docs && !error && <p>{t('common.loading')}</p>}
      {docs?.map((d) => (
        <article key={d.document} className="agreement">
          <h2>
            {d.title} <small>{t('consent.version', { v: d.version })}</small>
          </h2>
          <div className="agreement-text" tabIndex={0} role="document" aria-label={d.title}>
            {d.text.split('\n').map((line, i) => (line ? <p key={i}>{line}</p> : null))}
          </div>
        </article>
      ))}
      <div className="checkbox">
        <input id="consent-agree" type="checkbox" checked={agree} onChange={(e) => { setAgree(e.target.checked); setMust(false); }} />
        <label htmlFor="consent-agree">{t('consent.agree')}</label>
      </div>
      {must && (
        <p className="field-error" role="alert">
          {t('consent.must')}
        </p>
      )}
      <ErrorBox error={error} />
      <button type="button" className="primary" onClick={next} disabled={!docs}>
        {t('common.next')}
      </button>
    </section>
  );
}
