/**
 * Overview: capacity by vendor and chip (cards, PFLOPS, H20-equivalents per workload class),
 * allocation now and over time, queue depth, running jobs and services, recent events, and the
 * declared-versus-computed compute of a fleet that declares its figures (unicom-2025).
 */
import { useEffect } from 'react';
import { useApi } from '../api/session';
import type { Capacity, History } from '../api/views';
import { Chart, type ChartOption } from '../components/chart';
import { Load } from '../components/states';
import { Confidence, Panel, Stat, StateBadge } from '../components/ui';
import { useI18n, type I18n } from '../i18n/i18n';
import { useLive } from '../live/live';
import { useResource } from '../lib/use-resource';
import { DeclaredPanel } from './overview-declared';

const jobEvents = ['job.', 'node.', 'service.'];

export function OverviewPage() {
  const i = useI18n();
  const { t, n, pct } = i;
  const api = useApi();
  const capacity = useResource((signal) => api.get('/api/v1/console/capacity', { signal }), [], jobEvents, 1000);
  const history = useResource((signal) => api.get('/api/v1/console/history', { signal }), [], ['job.'], 10_000);
  const ready = capacity.data !== null;
  useEffect(() => {
    if (ready) performance.mark('tessera:overview-ready');
  }, [ready]);

  return (
    <div className="page" data-page="overview">
      <h1>{t('overview.title')}</h1>
      <Load r={capacity}>
        {(c) => (
          <>
            <div className="stats">
              <Stat label={t('overview.cards')} value={n(c.totals.cards, 0)} sub={t('overview.cardsSub', { ready: n(c.totals.readyNodes, 0), nodes: n(c.totals.nodes, 0) })} testId="stat-cards" />
              <Stat label={t('overview.pflops')} value={n(c.totals.pflops, 1)} sub={c.totals.pflopsUnknownCards > 0 ? t('overview.pflopsSub', { unknown: n(c.totals.pflopsUnknownCards, 0) }) : undefined} testId="stat-pflops" />
              <Stat label={t('overview.allocated')} value={pct(c.totals.cards > 0 ? c.totals.allocatedCards / c.totals.cards : null)} sub={t('overview.allocatedSub', { cards: n(c.totals.allocatedCards, 1) })} testId="stat-allocated" />
              <Stat label={t('overview.util')} value={c.totals.utilPct === null ? t('common.unknown') : pct(c.totals.utilPct / 100)} sub={t('overview.utilSub', { devices: n(c.totals.utilReportingDevices, 0) })} testId="stat-util" />
              <Stat label={t('overview.running')} value={n(c.work.running, 0)} testId="stat-running" />
              <Stat label={t('overview.waiting')} value={n(c.work.waiting, 0)} testId="stat-waiting" />
              <Stat label={t('overview.services')} value={n(c.work.services, 0)} testId="stat-services" />
            </div>
            <div className="grid-2">
              <Panel title={t('overview.byVendor')}>
                <Chart label={t('overview.byVendor')} option={vendorOption(c, i)} height={Math.max(180, c.byVendor.length * 34 + 60)} />
              </Panel>
              <Panel title={t('overview.allocationOverTime')}>
                <Load r={history}>{(h) => <Chart label={t('overview.allocationOverTime')} option={historyOption(h, i)} />}</Load>
              </Panel>
            </div>
            {c.declared ? <DeclaredPanel d={c.declared} /> : null}
            <Panel title={t('overview.byChip')}>
              <ChipTable c={c} />
            </Panel>
            <Panel title={t('overview.h20eq')}>
              <H20Table c={c} />
            </Panel>
          </>
        )}
      </Load>
      <RecentEvents />
    </div>
  );
}

function ChipTable({ c }: { c: Capacity }) {
  const { t, n, pct, lang } = useI18n();
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th>{t('common.chip')}</th>
            <th>{t('common.vendor')}</th>
            <th className="num">{t('common.nodes')}</th>
            <th className="num">{t('common.cards')}</th>
            <th className="num">TFLOPS / {t('common.cards')}</th>
            <th className="num">PFLOPS</th>
            <th>{t('common.confidence')}</th>
            <th className="num">{t('overview.allocated')}</th>
          </tr>
        </thead>
        <tbody>
          {c.byChip.map((r) => (
            <tr key={r.chip}>
              <td>
                <a href={`#/fleet?chip=${encodeURIComponent(r.chip)}`}>{(lang === 'zh-CN' ? r.nameZh : r.nameEn) ?? r.chip}</a>
              </td>
              <td>{r.vendor ?? t('common.unknown')}</td>
              <td className="num">{n(r.nodes, 0)}</td>
              <td className="num">{n(r.cards, 0)}</td>
              <td className="num">
                {n(r.tflopsPerCard, 1)} {r.precision ? <small>{r.precision}</small> : null}
              </td>
              <td className="num">{n(r.pflops, 1)}</td>
              <td>
                <Confidence value={r.peakConfidence} />
              </td>
              <td className="num">{pct(r.cards > 0 ? r.allocatedCards / r.cards : null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function H20Table({ c }: { c: Capacity }) {
  const { t, n } = useI18n();
  const missing = Math.max(0, ...c.h20eq.map((h) => h.cardsWithoutEstimate));
  return (
    <>
      <p className="muted">{t('overview.h20eqNote', { missing: n(missing, 0) })}</p>
      <div className="table-wrap">
        <table data-testid="h20eq">
          <thead>
            <tr>
              <th>{t('overview.class')}</th>
              <th className="num">{t('overview.h20eqCol')}</th>
              <th className="num">{t('overview.without')}</th>
              <th>{t('common.confidence')}</th>
              {c.byChip.map((r) => (
                <th key={r.chip} className="num">
                  {r.chip}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {c.h20eq.map((h) => (
              <tr key={h.workloadClass}>
                <td title={h.description}>{h.workloadClass}</td>
                <td className="num">
                  <strong>{n(h.h20eq, 0)}</strong>
                </td>
                <td className="num">{n(h.cardsWithoutEstimate, 0)}</td>
                <td>
                  <Confidence value={h.confidence} />
                </td>
                {h.byChip.map((b) => (
                  <td key={b.chip} className="num" title={b.reason ?? `${n(b.h20eqPerCard, 2)} × ${n(b.cards, 0)}`}>
                    {b.h20eqPerCard === null ? '—' : `${n(b.h20eqPerCard, 2)}×`}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function RecentEvents() {
  const { recent } = useLive();
  const { t, time } = useI18n();
  return (
    <Panel title={t('overview.events')}>
      {recent.length === 0 ? (
        <div className="state state-empty">{t('state.empty')}</div>
      ) : (
        <ul className="events" data-testid="events">
          {recent.slice(0, 12).map((e) => (
            <li key={e.id}>
              <time>{time(e.atMs)}</time> <code>{e.type}</code> <EventSubject type={e.type} subject={e.subject} />
              {typeof e.data.to === 'string' ? <StateBadge state={e.data.to} /> : null}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function EventSubject({ type, subject }: { type: string; subject: string }) {
  if (type.startsWith('job.')) return <a href={`#/jobs/${encodeURIComponent(subject)}`}>{subject}</a>;
  if (type.startsWith('node.')) return <a href={`#/fleet/nodes/${encodeURIComponent(subject)}`}>{subject}</a>;
  return <span>{subject}</span>;
}

export function vendorOption(c: Capacity, { t }: I18n): ChartOption {
  const vendors = c.byVendor.map((v) => v.vendor);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 90, right: 20, top: 30, bottom: 20 },
    xAxis: { type: 'value', name: t('common.cards') },
    yAxis: { type: 'category', data: vendors, inverse: true },
    series: [
      { name: t('overview.used'), type: 'bar', stack: 'cards', data: c.byVendor.map((v) => Math.round(v.allocatedCards * 10) / 10) },
      { name: t('overview.free'), type: 'bar', stack: 'cards', data: c.byVendor.map((v) => Math.round((v.cards - v.allocatedCards) * 10) / 10) },
    ],
  };
}

export function historyOption(h: History, { t, time }: I18n): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 50, right: 50, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: h.items.map((s) => time(s.atMs)) },
    yAxis: [
      { type: 'value', name: '%', max: 100, min: 0 },
      { type: 'value', name: t('overview.queueDepth'), minInterval: 1 },
    ],
    series: [
      { name: t('overview.allocated'), type: 'line', showSymbol: false, areaStyle: { opacity: 0.15 }, data: h.items.map((s) => (s.cards > 0 ? Math.round((s.allocatedCards / s.cards) * 1000) / 10 : 0)) },
      { name: t('overview.running'), type: 'line', yAxisIndex: 1, showSymbol: false, lineStyle: { type: 'dashed' }, data: h.items.map((s) => s.running) },
      { name: t('overview.waiting'), type: 'line', yAxisIndex: 1, showSymbol: false, lineStyle: { type: 'dotted', width: 2 }, data: h.items.map((s) => s.waiting) },
    ],
  };
}

