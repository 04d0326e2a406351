/** Inference services: replicas per chip, endpoints, SLO targets, replicas ready, and traffic and SLO attainment per chip. */
import { useState } from 'react';
import { useApi } from '../api/session';
import type { ServiceView } from '../api/views';
import { Chart } from '../components/chart';
import { Confirm } from '../components/confirm';
import { ErrorBox, Load } from '../components/states';
import { Panel, StateBadge } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useResource } from '../lib/use-resource';
import { ServiceTrafficPanel } from './services-traffic';

/** Live replicas per chip, per service (pending replicas count under "?"). */
export function replicasPerChip(services: ServiceView[]): { chips: string[]; rows: { service: string; counts: number[] }[] } {
  const chips = [...new Set(services.flatMap((s) => s.replicas.map((r) => r.chip ?? '?')))].sort();
  return { chips, rows: services.map((s) => ({ service: s.name, counts: chips.map((c) => s.replicas.filter((r) => (r.chip ?? '?') === c).length) })) };
}

export function ServicesPage() {
  const { t, n, dateTime } = useI18n();
  const api = useApi();
  const services = useResource(async (signal) => ((await api.get('/api/v1/services', { signal })) as unknown as { items: ServiceView[] }).items, [], ['job.', 'service.'], 1000);
  return (
    <div className="page" data-page="services">
      <h1>{t('services.title')}</h1>
      <p className="muted">{t('services.trafficNote')}</p>
      <Load r={services} isEmpty={(s) => s.length === 0}>
        {(list) => {
          const per = replicasPerChip(list);
          return (
            <>
              <Panel title={t('services.replicasPerChip')}>
                <Chart
                  label={t('services.replicasPerChip')}
                  height={Math.max(160, list.length * 40 + 60)}
                  option={{
                    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
                    legend: { top: 0 },
                    grid: { left: 140, right: 20, top: 30, bottom: 20 },
                    xAxis: { type: 'value', minInterval: 1, name: t('services.replicas') },
                    yAxis: { type: 'category', data: per.rows.map((r) => r.service) },
                    series: per.chips.map((c, k) => ({ name: c, type: 'bar', stack: 'r', data: per.rows.map((r) => r.counts[k] ?? 0) })),
                  }}
                />
              </Panel>
              <div className="table-wrap">
                <table data-testid="services">
                  <thead>
                    <tr>
                      <th>{t('common.name')}</th>
                      <th>{t('services.model')}</th>
                      <th>{t('common.tenant')}</th>
                      <th>{t('services.attainment')}</th>
                      <th>{t('services.slo')}</th>
                      <th>{t('services.replicas')}</th>
                      <th>{t('services.endpoints')}</th>
                      <th>{t('common.submitted')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((s) => (
                      <tr key={s.id}>
                        <td>{s.name}</td>
                        <td>{s.spec.model.name}</td>
                        <td>{s.tenant}</td>
                        <td>
                          <Scale service={s} onDone={services.reload} />
                          <meter min={0} max={s.spec.replicas} value={s.readyReplicas} aria-label={t('services.attainment')} /> {t('services.ready', { ready: n(s.readyReplicas, 0), want: n(s.spec.replicas, 0) })}
                        </td>
                        <td>{s.spec.slo ? t('services.sloValue', { ttft: n(s.spec.slo.ttftMsP99 ?? null, 0), tpot: n(s.spec.slo.tpotMsP99 ?? null, 0) }) : '—'}</td>
                        <td>
                          <ul className="plain">
                            {s.replicas.map((r) => (
                              <li key={r.jobId}>
                                <StateBadge state={r.state} /> <a href={`#/jobs/${encodeURIComponent(r.jobId)}`}>{r.chip ?? '—'}</a>
                              </li>
                            ))}
                          </ul>
                        </td>
                        <td>
                          <ul className="plain">
                            {s.endpoints.map((e) => (
                              <li key={e.jobId}>
                                <code>{e.node ?? '—'}</code> · {e.chip}
                              </li>
                            ))}
                          </ul>
                        </td>
                        <td>{dateTime(s.createdAtMs)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {list.map((s) => (
                <Panel key={s.id} title={`${t('services.trafficTitle')} · ${s.name}`}>
                  <ServiceTrafficPanel service={s} />
                </Panel>
              ))}
            </>
          );
        }}
      </Load>
    </div>
  );
}

/** Scale a service's replicas; scaling down (which cancels replicas) asks for confirmation. */
function Scale({ service, onDone }: { service: ServiceView; onDone(): void }) {
  const { t } = useI18n();
  const api = useApi();
  const [want, setWant] = useState(service.spec.replicas);
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const apply = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await api.patch('/api/v1/services/{id}', { params: { id: service.id }, body: { replicas: want } });
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
      setConfirm(false);
    }
  };
  return (
    <div className="scale">
      <label className="inline">
        {t('services.scale')}
        <input type="number" min={0} max={1000} value={want} onChange={(e) => setWant(Number(e.target.value))} style={{ width: '4.5rem' }} aria-label={`${t('services.scale')} ${service.name}`} />
      </label>
      <button type="button" disabled={busy || want === service.spec.replicas} onClick={() => (want < service.spec.replicas ? setConfirm(true) : void apply())}>
        {t('services.apply')}
      </button>
      {confirm ? <Confirm message={t('services.scaleDownConfirm', { name: service.name, from: service.spec.replicas, to: want })} confirmLabel={t('services.apply')} busy={busy} onCancel={() => setConfirm(false)} onConfirm={() => void apply()} /> : null}
      {error ? <ErrorBox error={error} /> : null}
    </div>
  );
}
