/** Node detail: devices with allocation and health, telemetry charts, jobs placed here, cordon. */
import { useState } from 'react';
import { useApi } from '../api/session';
import type { NodeDetail } from '../api/views';
import { Chart } from '../components/chart';
import { Confirm } from '../components/confirm';
import { Load } from '../components/states';
import { Panel, stateLabel, StateBadge } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useResource } from '../lib/use-resource';

export function NodePage({ id }: { id: string }) {
  const { t, n, pct, dateTime } = useI18n();
  const api = useApi();
  const node = useResource(async (signal) => (await api.get('/api/v1/nodes/{id}', { params: { id }, signal })) as unknown as NodeDetail, [id], ['job.', 'node.'], 2000);
  const jobs = useResource((signal) => api.get('/api/v1/jobs', { query: { node: id, limit: 50 }, signal }), [id], ['job.'], 2000);
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const toggle = async (schedulable: boolean): Promise<void> => {
    setBusy(true);
    try {
      if (schedulable) await api.post('/api/v1/nodes/{id}/cordon', { params: { id } });
      else await api.post('/api/v1/nodes/{id}/uncordon', { params: { id } });
      node.reload();
    } finally {
      setBusy(false);
      setConfirm(false);
    }
  };
  return (
    <div className="page" data-page="node">
      <p>
        <a href="#/fleet">← {t('nav.fleet')}</a>
      </p>
      <h1>{t('node.title', { id })}</h1>
      <Load r={node}>
        {(d) => {
          // The latest heartbeat's per-device figures (utilPct, memUsedMiB, tempC, powerW), as the agent sent them.
          const reported = (d.telemetry as { devices?: ({ index: number } & Record<string, unknown>)[] } | null | undefined)?.devices ?? [];
          const telemetry = reported.map((x) => ({ index: x.index, telemetry: Object.fromEntries(Object.entries(x).filter(([k, v]) => k !== 'index' && typeof v === 'number')) as Record<string, number> }));
          const metrics = [...new Set(telemetry.flatMap((x) => Object.keys(x.telemetry)))];
          return (
            <>
              <dl className="facts">
                <dt>{t('common.cluster')}</dt>
                <dd>{d.cluster}</dd>
                <dt>{t('common.chip')}</dt>
                <dd>{d.chip}</dd>
                <dt>{t('common.cards')}</dt>
                <dd>{n(d.cards, 0)}</dd>
                <dt>{t('common.state')}</dt>
                <dd>
                  {stateLabel(d.state, t)}
                  {d.simulated ? ` (${t('common.simulated')})` : ''}
                </dd>
                <dt>{t('fleet.schedulable')}</dt>
                <dd>{d.schedulable ? t('common.yes') : t('fleet.cordoned')}</dd>
                <dt>{t('fleet.heartbeat')}</dt>
                <dd>
                  {dateTime(d.lastHeartbeatAtMs)}
                  {d.heartbeatAgeSec !== undefined ? ` (${t('node.lastHeartbeat', { sec: n(d.heartbeatAgeSec, 1) })})` : ''}
                </dd>
              </dl>
              <p>
                <button type="button" onClick={() => (d.schedulable ? setConfirm(true) : void toggle(false))} disabled={busy}>
                  {d.schedulable ? t('node.cordon') : t('node.uncordon')}
                </button>
              </p>
              {confirm ? <Confirm message={t('node.cordonConfirm', { id })} confirmLabel={t('node.cordon')} busy={busy} onCancel={() => setConfirm(false)} onConfirm={() => void toggle(true)} /> : null}
              <Panel title={t('node.devices')}>
                <table>
                  <thead>
                    <tr>
                      <th className="num">{t('node.index')}</th>
                      <th>UUID</th>
                      <th className="num">{t('node.used')}</th>
                      <th>{t('common.health')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.devices.map((x) => (
                      <tr key={x.index}>
                        <td className="num">{x.index}</td>
                        <td>
                          <code>{x.uuid ?? '—'}</code>
                        </td>
                        <td className="num">{pct(x.usedMilli / 1000, 0)}</td>
                        <td>{x.healthy ? t('common.healthy') : `✕ ${t('common.unhealthy')}`}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Panel>
              <Panel title={t('node.telemetry')}>
                {metrics.length === 0 ? (
                  <div className="state state-empty">{t('node.noTelemetry')}</div>
                ) : (
                  <Chart
                    label={t('node.telemetry')}
                    option={{
                      tooltip: { trigger: 'axis' },
                      legend: { top: 0 },
                      grid: { left: 50, right: 20, top: 30, bottom: 30 },
                      xAxis: { type: 'category', data: telemetry.map((x) => `#${x.index}`) },
                      yAxis: { type: 'value' },
                      series: metrics.map((m) => ({ name: m, type: 'bar', data: telemetry.map((x) => x.telemetry[m] ?? null) })),
                    }}
                  />
                )}
              </Panel>
            </>
          );
        }}
      </Load>
      <Panel title={t('node.jobs')}>
        <Load r={jobs} isEmpty={(j) => j.items.length === 0}>
          {(j) => (
            <ul className="plain">
              {j.items.map((x) => (
                <li key={x.id}>
                  <StateBadge state={x.state} /> <a href={`#/jobs/${encodeURIComponent(x.id)}`}>{x.name}</a> · {x.tenant} · {x.cards} × {x.chip ?? '?'}
                </li>
              ))}
            </ul>
          )}
        </Load>
      </Panel>
    </div>
  );
}
