/** The console's shell: navigation, language switch, live status, sign-out, and the page router. */
import { useSession } from './api/session';
import { languages, useI18n, type Lang } from './i18n/i18n';
import type { MessageKey } from './i18n/en';
import { LiveProvider, useLive } from './live/live';
import { useRoute } from './lib/router';
import { CatalogPage } from './pages/catalog';
import { FleetPage } from './pages/fleet';
import { JobDetailPage } from './pages/job-detail';
import { JobSubmitPage } from './pages/job-submit';
import { JobsPage } from './pages/jobs';
import { NodePage } from './pages/node';
import { OverviewPage } from './pages/overview';
import { ServicesPage } from './pages/services';
import { SignIn } from './pages/sign-in';
import { SimulatorPage } from './pages/simulator';
import { TenantsPage } from './pages/tenants';

const nav: { path: string; key: MessageKey }[] = [
  { path: 'overview', key: 'nav.overview' },
  { path: 'fleet', key: 'nav.fleet' },
  { path: 'jobs', key: 'nav.jobs' },
  { path: 'services', key: 'nav.services' },
  { path: 'tenants', key: 'nav.tenants' },
  { path: 'catalog', key: 'nav.catalog' },
  { path: 'simulator', key: 'nav.simulator' },
];

function LiveIndicator() {
  const { status } = useLive();
  const { t } = useI18n();
  const text = status.kind === 'open' ? t('live.open') : status.kind === 'connecting' ? t('live.connecting') : t('live.reconnecting', { sec: Math.round(status.retryInMs / 1000) });
  return (
    <span className={`live live-${status.kind}`} role="status" aria-live="polite" data-testid="live">
      <span className="dot" aria-hidden="true" /> {text}
    </span>
  );
}

function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <label className="lang">
      <span className="sr-only">{t('lang.label')}</span>
      <select value={lang} onChange={(e) => setLang(e.target.value as Lang)} aria-label={t('lang.label')} data-testid="lang">
        {languages.map((l) => (
          <option key={l} value={l}>
            {l === 'zh-CN' ? '中文' : 'English'}
          </option>
        ))}
      </select>
    </label>
  );
}

function Page() {
  const { segments } = useRoute();
  const [first = 'overview', second, third] = segments;
  if (first === 'fleet' && second === 'nodes' && third) return <NodePage id={third} />;
  if (first === 'fleet') return <FleetPage />;
  if (first === 'jobs' && second === 'new') return <JobSubmitPage />;
  if (first === 'jobs' && second) return <JobDetailPage id={second} />;
  if (first === 'jobs') return <JobsPage />;
  if (first === 'services') return <ServicesPage />;
  if (first === 'tenants') return <TenantsPage />;
  if (first === 'catalog') return <CatalogPage />;
  if (first === 'simulator') return <SimulatorPage />;
  return <OverviewPage />;
}

export function App() {
  const { token, signOut } = useSession();
  const { t } = useI18n();
  const { segments } = useRoute();
  if (!token) {
    return (
      <>
        <div className="topbar">
          <LangSwitch />
        </div>
        <SignIn />
      </>
    );
  }
  const current = segments[0] ?? 'overview';
  return (
    <LiveProvider>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('nav.skip')}
      </a>
      <div className="shell">
        <nav className="sidebar" aria-label="Tessera">
          <div className="brand">
            <span className="logo" aria-hidden="true" />
            <span>
              <strong>{t('app.title')}</strong>
              <small>{t('app.tagline')}</small>
            </span>
          </div>
          <ul>
            {nav.map((n) => (
              <li key={n.path}>
                <a href={`#/${n.path}`} aria-current={current === n.path ? 'page' : undefined}>
                  {t(n.key)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="main-col">
          <header className="topbar">
            <LiveIndicator />
            <LangSwitch />
            <button type="button" onClick={() => signOut()}>
              {t('auth.signOut')}
            </button>
          </header>
          <main id="main" tabIndex={-1}>
            <Page />
          </main>
        </div>
      </div>
    </LiveProvider>
  );
}
