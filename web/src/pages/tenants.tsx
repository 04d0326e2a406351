/**
 * Queues and tenants: quotas, cards in use now, usage so far, borrowing (above quota) and lending
 * (below quota), and each queue's fair share by weight.
 */
import { useApi } from '../api/session';
import type { Job, QueueView, Tenant, UsageRow } from '../api/views';
import { Chart } from '../components/chart';
import { Load } from '../components/states';
import { Panel } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useResource } from '../lib/use-resource';

export interface TenantRow {
  id: string;
  name: string;
  quota: Record<string, number>;
  inUseCards: number;
  usageCardHours: number;
  /** In-use cards minus the all-chip quota (`*`); positive borrows, negative lends; null without one. */
  overQuota: number | null;
  queues: (QueueView & { fairShare: number })[];
}

export function tenantRows(tenants: (Tenant & { queues: QueueView[] })[], running: Job[], usage: UsageRow[]): TenantRow[] {
  const totalWeight = tenants.flatMap((t) => t.queues).reduce((s, q) => s + q.weight, 0);
  return tenants.map((t) => {
    const inUse = running.filter((j) => j.tenant === t.id).reduce((s, j) => s + (j.cards * j.milliPerCard) / 1000, 0);
    const all = t.quota['*'];
    return {
      id: t.id,
      name: t.name,
      quota: t.quota,
      inUseCards: Math.round(inUse * 1000) / 1000,
      usageCardHours: usage.filter((u) => u.tenant === t.id).reduce((s, u) => s + u.cardSec / 3600, 0),
      overQuota: all === undefined ? null : Math.round((inUse - all) * 1000) / 1000,
      queues: t.queues.map((q) => ({ ...q, fairShare: totalWeight > 0 ? q.weight / totalWeight : 0 })),
    };
  });
}

export function TenantsPage() {
  const { t, n, pct } = useI18n();
  const api = useApi();
  const data = useResource(
    async (signal) => {
      const [list, running, usage] = await Promise.all([
        api.get('/api/v1/tenants', { signal }),
        api.get('/api/v1/jobs', { query: { state: 'Scheduled,Running', limit: 1000 }, signal }),
        api.get('/api/v1/usage', { signal }).then((u) => (u as unknown as { items: UsageRow[] }).items),
      ]);
      const detailed = await Promise.all(list.items.map(async (x) => ({ ...x, queues: ((await api.get('/api/v1/tenants/{id}', { params: { id: x.id }, signal })) as unknown as { queues: QueueView[] }).queues })));
      return tenantRows(detailed, running.items, usage);
    },
    [],
    ['job.', 'tenant.', 'queue.'],
    2000,
  );
  return (
    <div className="page" data-page="tenants">
      <h1>{t('tenants.title')}</h1>
      <Load r={data} isEmpty={(d) => d.length === 0}>
        {(rows) => {
          const totalInUse = rows.reduce((s, r) => s + r.inUseCards, 0);
          return (
            <>
              <Panel title={t('tenants.share')}>
                <Chart
                  label={t('tenants.share')}
                  height={Math.max(160, rows.length * 40 + 60)}
                  option={{
                    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
                    legend: { top: 0 },
                    grid: { left: 120, right: 20, top: 30, bottom: 20 },
                    xAxis: { type: 'value', name: t('common.cards') },
                    yAxis: { type: 'category', data: rows.map((r) => r.name) },
                    series: [
                      { name: t('tenants.running'), type: 'bar', data: rows.map((r) => r.inUseCards) },
                      { name: t('tenants.quota'), type: 'bar', data: rows.map((r) => r.quota['*'] ?? null) },
                    ],
                  }}
                />
              </Panel>
              <div className="table-wrap">
                <table data-testid="tenants">
                  <thead>
                    <tr>
                      <th>{t('common.tenant')}</th>
                      <th>{t('tenants.quota')}</th>
                      <th className="num">{t('tenants.running')}</th>
                      <th className="num">{t('tenants.share')}</th>
                      <th>{t('tenants.borrowLend')}</th>
                      <th className="num">{t('tenants.usage')}</th>
                      <th>{t('tenants.fairShare')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr key={r.id}>
                        <td>
                          {r.name} <div className="muted small">{r.id}</div>
                        </td>
                        <td>
                          {Object.keys(r.quota).length === 0
                            ? t('tenants.noQuota')
                            : Object.entries(r.quota)
                                .map(([c, q]) => `${c}: ${n(q, 0)}`)
                                .join(', ')}
                        </td>
                        <td className="num">{n(r.inUseCards, 2)}</td>
                        <td className="num">{pct(totalInUse > 0 ? r.inUseCards / totalInUse : null)}</td>
                        <td>{r.overQuota === null ? '—' : r.overQuota > 0 ? `${t('tenants.borrowing')}: ${n(r.overQuota, 2)}` : `${t('tenants.lending')}: ${n(-r.overQuota, 2)}`}</td>
                        <td className="num">{n(r.usageCardHours, 2)}</td>
                        <td>
                          <ul className="plain">
                            {r.queues.map((q) => (
                              <li key={q.name}>
                                {q.name} · {t('tenants.weight')} {n(q.weight, 2)} · {pct(q.fairShare)}
                              </li>
                            ))}
                          </ul>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          );
        }}
      </Load>
    </div>
  );
}
