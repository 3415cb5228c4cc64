import { useEffect, useState } from 'react';
import { api, type Application } from '../api';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { ErrorBox, StateBadge, formatTime } from '../ui';

export function HomePage() {
  const { t, lang } = useI18n();
  const [apps, setApps] = useState<Application[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [business, setBusiness] = useState<Record<string, string>>({});

  useEffect(() => {
    api<{ applications: Application[] }>('GET', '/api/v1/applications').then((r) => setApps(r.applications), setError);
    api<any>('GET', '/api/v1/catalogue').then((c) => {
      const labels: Record<string, string> = {};
      for (const cat of c.categories) for (const p of cat.products) for (const b of p.business) labels[b.business] = b.label;
      setBusiness(labels);
    }, () => {});
  }, []);

  return (
    <section aria-labelledby="home-title">
      <div className="heading-row">
        <h1 id="home-title">{t('home.title')}</h1>
        <Link className="button primary" href="/apply">
          {t('home.new')}
        </Link>
      </div>
      <ErrorBox error={error} />
      {apps && apps.length === 0 && <p>{t('home.none')}</p>}
      {apps && apps.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t('home.id')}</th>
              <th scope="col">{t('apply.business')}</th>
              <th scope="col">{t('apply.certType')}</th>
              <th scope="col">{t('apply.orgName')}</th>
              <th scope="col">{t('home.state')}</th>
              <th scope="col">{t('home.created')}</th>
            </tr>
          </thead>
          <tbody>
            {apps.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link href={`/applications/${a.id}`}>{a.id}</Link>
                </td>
                <td>{business[a.business] ?? a.business}</td>
                <td>{t(`cert.${a.cert_type}`)}</td>
                <td>{a.form.organization.name}</td>
                <td>
                  <StateBadge state={a.state} />
                </td>
                <td>{formatTime(a.created_at, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
