import { useEffect, useRef } from 'react';
import { useI18n } from './i18n';
import { Link, navigate, usePath } from './router';
import { useSession } from './session';
import { LoginPage } from './pages/LoginPage';
import { ConsentPage } from './pages/ConsentPage';
import { HomePage } from './pages/HomePage';
import { ApplyPage } from './pages/ApplyPage';
import { ApplicationPage, EditApplication } from './pages/ApplicationPage';
import { ServicePointsPage } from './pages/ServicePointsPage';
import { StaffPage } from './pages/StaffPage';
import { SealsPage } from './pages/SealsPage';
import { StampPage } from './pages/StampPage';
import { VerifyPage } from './pages/Verify';

function Page({ path }: { path: string }) {
  const { loading, me } = useSession();
  const { t } = useI18n();
  if (path === '/service-points') return <ServicePointsPage />;
  if (path === '/verify') return <VerifyPage />;
  if (path === '/staff' || path.startsWith('/staff/')) return <StaffPage path={path} />;
  if (loading) return <p>{t('common.loading')}</p>;
  if (!me) return <LoginPage />;
  if (path === '/consent') return <ConsentPage />;
  if (path === '/seals/stamp') return <StampPage />;
  if (path === '/seals') return <SealsPage />;
  if (path === '/apply') return me.consent_current ? <ApplyPage /> : <ConsentPage />;
  const m = path.match(/^\/applications\/([A-Za-z0-9_-]+)(\/edit)?$/);
  if (m && m[2]) return <EditApplication id={m[1]} />;
  if (m) return <ApplicationPage id={m[1]} />;
  return <HomePage />;
}

export function App() {
  const path = usePath();
  const { t, lang, setLang } = useI18n();
  const { me, staff, logout } = useSession();
  const main = useRef<HTMLElement>(null);
  // After a navigation, focus goes to the page's main region (screen readers and keyboard users
  // start reading the new page there).
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [path]);

  const nav = [
    { href: '/', label: t('nav.home') },
    { href: '/apply', label: t('nav.apply') },
    { href: '/seals', label: t('nav.seals') },
    { href: '/service-points', label: t('nav.points') },
    { href: '/verify', label: t('nav.verify') },
    { href: '/staff', label: t('nav.staff') },
  ];
  const current = (href: string) => (href === '/' ? path === '/' || path.startsWith('/applications') : path.startsWith(href));

  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="top">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ◎
          </span>
          <div>
            <div className="brand-title">{t('app.title')}</div>
            <div className="brand-sub">{t('app.product')}</div>
          </div>
        </div>
        <nav aria-label={t('app.title')}>
          <ul>
            {nav.map((n) => (
              <li key={n.href}>
                <Link href={n.href} aria-current={current(n.href) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="top-tools">
          {/* The visible name is the accessible name (WCAG 2.5.3), in the language it switches to. */}
          <button type="button" className="link-button" lang={lang === 'zh' ? 'en' : 'zh-CN'} title={t('lang.label')} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {t('lang.switch')}
          </button>
          {(me || staff) && (
            <>
              <span className="who">{me ? me.phone : staff?.display_name || staff?.login}</span>
              <button
                type="button"
                className="link-button"
                onClick={async () => {
                  await logout();
                  navigate(staff ? '/staff' : '/');
                }}
              >
                {t('nav.logout')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Page path={path} />
      </main>
      <footer className="bottom">{t('footer.support')}</footer>
    </>
  );
}
