import { useEffect, useState } from 'react';
import { api, type ServicePoint } from '../api';
import { useI18n } from '../i18n';
import { ErrorBox, Field, formatTime } from '../ui';

// Guide §6: the service points, open now or at a chosen time (GET /api/v1/service-points?at=).
export function ServicePointsPage() {
  const { t, lang } = useI18n();
  const [points, setPoints] = useState<ServicePoint[] | null>(null);
  const [at, setAt] = useState('');
  const [asOf, setAsOf] = useState('');
  const [onlyOpen, setOnlyOpen] = useState(false);
  const [district, setDistrict] = useState('');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    // <input type=datetime-local> gives local wall time; the points keep Beijing time.
    const utc = at ? new Date(`${at.slice(0, 16)}:00+08:00`) : null;
    const q = utc && !isNaN(utc.getTime()) ? `?at=${utc.toISOString().replace(/\.\d{3}Z$/, 'Z')}` : '';
    setError(null);
    api<{ at: string; service_points: ServicePoint[] }>('GET', `/api/v1/service-points${q}`).then((r) => {
      setPoints(r.service_points);
      setAsOf(r.at);
    }, setError);
  }, [at]);

  const districts = [...new Set(points?.map((p) => p.district) ?? [])];
  const shown = (points ?? []).filter((p) => (!onlyOpen || p.open_now) && (!district || p.district === district));

  return (
    <section aria-labelledby="points-title">
      <h1 id="points-title">{t('points.title')}</h1>
      <div className="grid filters">
        <Field label={`${t('points.at')}（北京时间 / Beijing time）`}>
          {(p) => <input {...p} type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />}
        </Field>
        <Field label={t('points.district')}>
          {(p) => (
            <select {...p} value={district} onChange={(e) => setDistrict(e.target.value)}>
              <option value="">{t('points.all')}</option>
              {districts.map((d) => (
                <option key={d} value={d}>{d}</option>
              ))}
            </select>
          )}
        </Field>
        <div className="checkbox">
          <input id="only-open" type="checkbox" checked={onlyOpen} onChange={(e) => setOnlyOpen(e.target.checked)} />
          <label htmlFor="only-open">{t('points.onlyOpen')}</label>
        </div>
      </div>
      <ErrorBox error={error} />
      {asOf && (
        <p className="muted">
          {t('points.at')}: {formatTime(asOf, lang)}
        </p>
      )}
      <ul className="points">
        {shown.map((p) => (
          <li key={p.id} className="card point">
            <div className="heading-row">
              <h2>{lang === 'zh' ? p.name : p.name_en}</h2>
              <span className={'badge ' + (p.open_now ? 'open' : 'closed')}>{p.open_now ? t('points.openNow') : t('points.closed')}</span>
            </div>
            <p>
              {p.district} · {lang === 'zh' ? p.address : p.address_en}
            </p>
            <p>
              {t('points.hours')}: {p.hours.join('；')}
            </p>
            <p>
              {t('points.phone')}: <a href={`tel:${p.phone}`}>{p.phone}</a>
            </p>
            {!p.open_now && p.next_opening && <p className="muted">{t('points.nextOpening', { t: formatTime(p.next_opening, lang) })}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
