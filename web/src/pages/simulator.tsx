/** Simulator: choose fleet, trace size and profiles; run on the server; compare in charts. */
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/session';
import type { Paths } from '../api/types';
import { Chart } from '../components/chart';
import { ErrorBox, Load, Loading } from '../components/states';
import { Panel } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useResource } from '../lib/use-resource';

type Simulation = Paths['/api/v1/console/simulate']['post']['response'];

export function SimulatorPage() {
  const { t, n, pct } = useI18n();
  const api = useApi();
  const profiles = useResource((signal) => api.get('/api/v1/console/profiles', { signal }), [], [], 0);
  const [fleet, setFleet] = useState('demo');
  const [jobs, setJobs] = useState(400);
  const [seed, setSeed] = useState(1);
  const [load, setLoad] = useState(0.7);
  const [mode, setMode] = useState<'choose' | 'vendor'>('choose');
  const [chosen, setChosen] = useState<string[]>(['default', 'best-fit']);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [result, setResult] = useState<Simulation | null>(null);
  const run = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(await api.post('/api/v1/console/simulate', { body: { fleet, jobs, seed, profiles: chosen, load, mode } }));
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (p: string): void => setChosen((c) => (c.includes(p) ? c.filter((x) => x !== p) : c.length >= 4 ? c : [...c, p]));
  const chips = result ? [...new Set(result.runs.flatMap((r) => r.result.perChip.map((c) => c.chip)))] : [];
  return (
    <div className="page" data-page="simulator">
      <h1>{t('sim.title')}</h1>
      <p className="muted">{t('sim.intro')}</p>
      <form className="form" onSubmit={(e) => void run(e)} data-testid="sim-form">
        <label>
          {t('sim.fleet')}
          <select value={fleet} onChange={(e) => setFleet(e.target.value)}>
            <option value="demo">demo</option>
            <option value="unicom-2025">unicom-2025</option>
          </select>
        </label>
        <label>
          {t('sim.jobs')}
          <input type="number" min={10} max={5000} value={jobs} onChange={(e) => setJobs(Number(e.target.value))} />
        </label>
        <label>
          {t('sim.seed')}
          <input type="number" min={0} value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
        </label>
        <label>
          {t('sim.load')}
          <input type="number" min={0.05} max={3} step={0.05} value={load} onChange={(e) => setLoad(Number(e.target.value))} />
        </label>
        <label>
          {t('sim.mode')}
          <select value={mode} onChange={(e) => setMode(e.target.value as 'choose' | 'vendor')}>
            <option value="choose">{t('sim.modeChoose')}</option>
            <option value="vendor">{t('sim.modeVendor')}</option>
          </select>
        </label>
        <fieldset className="wide">
          <legend>{t('sim.profiles')}</legend>
          <Load r={profiles}>
            {(p) => (
              <>
                {p.items.map((x) => (
                  <label key={x.name} className="inline" title={x.description ?? undefined}>
                    <input type="checkbox" checked={chosen.includes(x.name)} onChange={() => toggle(x.name)} /> {x.name}
                  </label>
                ))}
              </>
            )}
          </Load>
        </fieldset>
        <div className="wide">
          <button type="submit" className="primary" disabled={busy || chosen.length === 0} data-testid="sim-run">
            {busy ? t('sim.running') : t('sim.run')}
          </button>
        </div>
      </form>
      {error ? <ErrorBox error={error} /> : null}
      {busy ? <Loading /> : null}
      {result ? (
        <div data-testid="sim-result">
          <p className="muted">{t('sim.summary', { jobs: n(result.jobs, 0), fleet: result.fleet, cards: n(result.cards, 0), rate: n(result.jobsPerHour, 1) })}</p>
          <Panel title={t('sim.allocation')}>
            <Chart
              label={t('sim.allocation')}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { top: 0 },
                grid: { left: 50, right: 60, top: 30, bottom: 40 },
                xAxis: { type: 'value', name: 'h' },
                yAxis: [
                  { type: 'value', name: '%', min: 0, max: 100 },
                  { type: 'value', name: t('overview.waiting') },
                ],
                series: result.runs.flatMap((r) => [
                  { name: `${r.profile} %`, type: 'line', showSymbol: false, data: r.series.map((p) => [Math.round(p.tSec / 36) / 100, Math.round(p.allocationRate * 1000) / 10]) },
                  { name: `${r.profile} ${t('overview.waiting')}`, type: 'line', yAxisIndex: 1, showSymbol: false, lineStyle: { type: 'dotted' }, data: r.series.map((p) => [Math.round(p.tSec / 36) / 100, p.pending]) },
                ]),
              }}
            />
          </Panel>
          <div className="grid-2">
            <Panel title={t('sim.jct')}>
              <Chart
                label={t('sim.jct')}
                option={{
                  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
                  legend: { top: 0 },
                  grid: { left: 60, right: 20, top: 30, bottom: 30 },
                  xAxis: { type: 'category', data: ['mean', 'p50', 'p99'] },
                  yAxis: { type: 'value', name: 's' },
                  series: result.runs.map((r) => ({ name: r.profile, type: 'bar', data: [r.result.jctSec.mean, r.result.jctSec.p50, r.result.jctSec.p99] })),
                }}
              />
            </Panel>
            <Panel title={t('sim.util')}>
              <Chart
                label={t('sim.util')}
                option={{
                  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
                  legend: { top: 0 },
                  grid: { left: 50, right: 20, top: 30, bottom: 60 },
                  xAxis: { type: 'category', data: chips, axisLabel: { rotate: 30 } },
                  yAxis: { type: 'value', name: '%', max: 100 },
                  series: result.runs.map((r) => ({ name: r.profile, type: 'bar', data: chips.map((c) => Math.round((r.result.perChip.find((x) => x.chip === c)?.utilisation ?? 0) * 1000) / 10) })),
                }}
              />
            </Panel>
          </div>
          <Panel title={t('sim.metric')}>
            <table data-testid="sim-table">
              <thead>
                <tr>
                  <th>{t('sim.profiles')}</th>
                  <th className="num">{t('overview.allocated')}</th>
                  <th className="num">JCT p50 / p99 (s)</th>
                  <th className="num">{t('sim.jobs')}</th>
                  <th className="num">makespan (s)</th>
                  <th className="num">{t('sim.cost')}</th>
                  <th className="num">kWh</th>
                  <th className="num">ms</th>
                </tr>
              </thead>
              <tbody>
                {result.runs.map((r) => (
                  <tr key={r.profile}>
                    <td>{r.profile}</td>
                    <td className="num">{pct(r.result.allocationRate)}</td>
                    <td className="num">
                      {n(r.result.jctSec.p50, 0)} / {n(r.result.jctSec.p99, 0)}
                    </td>
                    <td className="num">
                      {n(r.result.jobs.completed, 0)} / {n(r.result.jobs.seen, 0)}
                    </td>
                    <td className="num">{n(r.result.makespanSec, 0)}</td>
                    <td className="num">{r.result.cost === null || !r.result.perChip.some((c) => c.cost !== null) ? t('common.unknown') : `${n(r.result.cost, 0)}${r.result.costPartial ? '*' : ''}`}</td>
                    <td className="num">{r.result.energyKWh === null ? t('common.unknown') : `${n(r.result.energyKWh, 0)}${r.result.energyPartial ? '*' : ''}`}</td>
                    <td className="num">{n(r.wallMs, 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted small">{t('sim.partial')}</p>
          </Panel>
        </div>
      ) : null}
    </div>
  );
}
