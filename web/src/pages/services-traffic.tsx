/** A service's traffic through the gateway: requests/s, p95 TTFT/TPOT and SLO attainment per chip, and a line over time. */
import { useEffect } from 'react';
import type { ChartOption } from '../components/chart';
import { Chart } from '../components/chart';
import { Load } from '../components/states';
import { useApi } from '../api/session';
import type { ServiceView } from '../api/views';
import { useI18n, type I18n } from '../i18n/i18n';
import { useResource } from '../lib/use-resource';

export interface TrafficFigures {
  requests: number;
  errors: number;
  requestsPerSec: number;
  p50TtftMs: number | null;
  p95TtftMs: number | null;
  p50TpotMs: number | null;
  p95TpotMs: number | null;
  sloAttainment: number | null;
  sloJudged: number;
}

export interface ServiceTraffic {
  serviceId: string;
  model: string;
  slo: { ttftMsP99?: number; tpotMsP99?: number };
  fromMs: number;
  toMs: number;
  windowMin: number;
  total: TrafficFigures;
  perChip: (TrafficFigures & { chip: string })[];
  series: (TrafficFigures & { minuteMs: number })[];
}

export const TRAFFIC_WINDOW_MIN = 15;

/** Requests per second and SLO attainment (%) per minute; attainment is left out where nothing was judged. */
export function trafficChartOption(tr: ServiceTraffic, i: Pick<I18n, 't' | 'time'>): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 30, bottom: 24 },
    xAxis: { type: 'category', data: tr.series.map((p) => i.time(p.minuteMs)) },
    yAxis: [
      { type: 'value', name: i.t('services.rps'), minInterval: 0.01 },
      { type: 'value', name: '%', min: 0, max: 100 },
    ],
    series: [
      { name: i.t('services.rps'), type: 'line', data: tr.series.map((p) => p.requestsPerSec) },
      { name: i.t('services.sloAttainment'), type: 'line', yAxisIndex: 1, connectNulls: false, data: tr.series.map((p) => (p.sloAttainment === null ? null : Math.round(p.sloAttainment * 1000) / 10)) },
    ],
  };
}

/** The figures of one service's traffic: per chip rows and a total row, then the line over the window. */
export function TrafficView({ traffic }: { traffic: ServiceTraffic }) {
  const { t, n, pct, time } = useI18n();
  const row = (label: string, f: TrafficFigures, key: string) => (
    <tr key={key} data-chip={key}>
      <td>{label}</td>
      <td>{n(f.requestsPerSec, 2)}</td>
      <td>{n(f.requests, 0)}</td>
      <td>{n(f.errors, 0)}</td>
      <td>{n(f.p95TtftMs, 0)}</td>
      <td>{n(f.p95TpotMs, 0)}</td>
      <td>{f.sloAttainment === null ? '—' : pct(f.sloAttainment, 1)}</td>
    </tr>
  );
  if (traffic.total.requests === 0) return <p className="muted">{t('services.noTraffic', { min: traffic.windowMin })}</p>;
  return (
    <div data-testid={`traffic-${traffic.serviceId}`}>
      <table className="compact">
        <caption className="muted">{t('services.trafficWindow', { min: traffic.windowMin })}</caption>
        <thead>
          <tr>
            <th>{t('services.chip')}</th>
            <th>{t('services.rps')}</th>
            <th>{t('services.requests')}</th>
            <th>{t('services.errors')}</th>
            <th>{t('services.p95Ttft')}</th>
            <th>{t('services.p95Tpot')}</th>
            <th>{t('services.sloAttainment')}</th>
          </tr>
        </thead>
        <tbody>
          {traffic.perChip.map((c) => row(c.chip, c, c.chip))}
          {traffic.perChip.length > 1 ? row(t('services.allChips'), traffic.total, '*') : null}
        </tbody>
      </table>
      <Chart label={t('services.trafficChart')} height={180} option={trafficChartOption(traffic, { t, time })} />
    </div>
  );
}

/** Loads a service's traffic; refreshes every few seconds while the page is open (the gateway stores it every 2 s). */
export function ServiceTrafficPanel({ service }: { service: ServiceView }) {
  const api = useApi();
  const r = useResource(
    async (signal) => (await api.get('/api/v1/services/{id}/traffic', { params: { id: service.id }, query: { windowMin: TRAFFIC_WINDOW_MIN }, signal })) as unknown as ServiceTraffic,
    [service.id],
    ['service.', 'replica.'],
    5000,
  );
  // Traffic changes without events: poll while shown.
  const { reload } = r;
  useEffect(() => {
    const h = setInterval(reload, 5000);
    return () => clearInterval(h);
  }, [reload]);
  return <Load r={r}>{(traffic) => <TrafficView traffic={traffic} />}</Load>;
}
