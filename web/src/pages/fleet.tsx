/** Fleet: clusters, a heatmap of every device, filters by chip, vendor and health, and the node list. */
import { useMemo, useState } from 'react';
import { useApi } from '../api/session';
import { Heatmap } from '../components/heatmap';
import { Load } from '../components/states';
import { Panel, stateLabel } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { navigate, useRoute } from '../lib/router';
import { useResource } from '../lib/use-resource';
import { fleetModel, type FleetFilter } from './fleet-model';

const pageSize = 50;

export function FleetPage() {
  const { t, n, pct } = useI18n();
  const api = useApi();
  const { query } = useRoute();
  const heat = useResource((signal) => api.get('/api/v1/console/heatmap', { signal }), [], ['job.', 'node.'], 2000);
  const clusters = useResource((signal) => api.get('/api/v1/clusters', { signal }), [], ['node.'], 5000);
  const [filter, setFilter] = useState<FleetFilter>({ chip: query.get('chip') ?? '', vendor: query.get('vendor') ?? '', health: '' });
  const [page, setPage] = useState(0);
  const model = useMemo(() => (heat.data ? fleetModel(heat.data, filter) : null), [heat.data, filter]);
  const vendors = useMemo(() => [...new Set(heat.data?.chips.map((c) => c.vendor ?? '?') ?? [])].sort(), [heat.data]);
  const set = (patch: Partial<FleetFilter>): void => {
    setFilter((f) => ({ ...f, ...patch }));
    setPage(0);
  };
  const shown = model?.nodes.filter((x) => x.visible) ?? [];
  return (
    <div className="page" data-page="fleet">
      <h1>{t('fleet.title')}</h1>
      <Load r={clusters} isEmpty={(c) => (c as { items: unknown[] }).items.length === 0}>
        {(c) => (
          <div className="stats">
            {(c as { items: { id: string; nodes: number; readyNodes: number; cards: number; chips: Record<string, number> }[] }).items.map((cl) => (
              <div className="stat" key={cl.id}>
                <div className="stat-label">
                  {t('common.cluster')} {cl.id}
                </div>
                <div className="stat-value">
                  {n(cl.cards, 0)} <small>{t('common.cards')}</small>
                </div>
                <div className="stat-sub">
                  {n(cl.readyNodes, 0)}/{n(cl.nodes, 0)} {t('common.nodes')} · {Object.keys(cl.chips).join(', ')}
                </div>
              </div>
            ))}
          </div>
        )}
      </Load>
      <Load r={heat} isEmpty={(h) => h.used.length === 0}>
        {(h) => (
          <>
            <Panel
              title={t('fleet.heatmap', { count: n(h.used.length, 0) })}
              actions={
                <div className="filters" role="group" aria-label="filters">
                  <label>
                    {t('fleet.filterChip')}
                    <select value={filter.chip} onChange={(e) => set({ chip: e.target.value })} data-testid="filter-chip">
                      <option value="">{t('common.all')}</option>
                      {h.chips.map((c) => (
                        <option key={c.id} value={c.id}>
                          {c.id}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {t('fleet.filterVendor')}
                    <select value={filter.vendor} onChange={(e) => set({ vendor: e.target.value })} data-testid="filter-vendor">
                      <option value="">{t('common.all')}</option>
                      {vendors.map((v) => (
                        <option key={v} value={v}>
                          {v}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {t('fleet.filterHealth')}
                    <select value={filter.health} onChange={(e) => set({ health: e.target.value as FleetFilter['health'] })} data-testid="filter-health">
                      <option value="">{t('common.all')}</option>
                      <option value="healthy">{t('common.healthy')}</option>
                      <option value="unhealthy">{t('common.unhealthy')}</option>
                    </select>
                  </label>
                </div>
              }
            >
              {model ? <Heatmap data={model.data} nodes={model.nodes} onOpen={(id) => navigate(`/fleet/nodes/${encodeURIComponent(id)}`)} /> : null}
              <div className="legend">
                <span className="ramp" aria-hidden="true" /> {t('fleet.legendUse')}
                <span className="swatch" style={{ background: '#D55E00' }} aria-hidden="true" /> {t('fleet.legendUnhealthy')}
                <span className="swatch" style={{ background: '#282828' }} aria-hidden="true" /> {t('fleet.legendLost')}
                <span className="swatch" style={{ background: '#E4E7EB' }} aria-hidden="true" /> {t('fleet.legendFiltered')}
              </div>
            </Panel>
            <Panel title={`${t('fleet.nodesTable')} (${n(shown.length, 0)})`}>
              <div className="table-wrap">
                <table data-testid="nodes">
                  <thead>
                    <tr>
                      <th>{t('common.id')}</th>
                      <th>{t('common.cluster')}</th>
                      <th>{t('common.chip')}</th>
                      <th className="num">{t('common.cards')}</th>
                      <th className="num">{t('overview.allocated')}</th>
                      <th>{t('common.state')}</th>
                      <th>{t('common.health')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.slice(page * pageSize, (page + 1) * pageSize).map((x) => (
                      <tr key={x.id}>
                        <td>
                          <a href={`#/fleet/nodes/${encodeURIComponent(x.id)}`}>{x.id}</a>
                        </td>
                        <td>{x.cluster}</td>
                        <td>{x.chip}</td>
                        <td className="num">{n(x.cards, 0)}</td>
                        <td className="num">{pct(x.cards > 0 ? x.usedMilli / (x.cards * 1000) : null)}</td>
                        <td>
                          {stateLabel(x.state, t)}
                          {x.schedulable ? '' : ` · ${t('fleet.cordoned')}`}
                        </td>
                        <td>{x.unhealthy > 0 ? `${t('common.unhealthy')} (${x.unhealthy})` : t('common.healthy')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager page={page} total={shown.length} onPage={setPage} />
            </Panel>
          </>
        )}
      </Load>
    </div>
  );
}

export function Pager({ page, total, onPage, size = pageSize }: { page: number; total: number; onPage(p: number): void; size?: number }) {
  const { t, n } = useI18n();
  if (total <= size) return null;
  const last = Math.ceil(total / size) - 1;
  return (
    <div className="pager">
      <button type="button" onClick={() => onPage(page - 1)} disabled={page === 0}>
        {t('common.previous')}
      </button>
      <span>{t('common.pageOf', { from: n(page * size + 1, 0), to: n(Math.min(total, (page + 1) * size), 0), total: n(total, 0) })}</span>
      <button type="button" onClick={() => onPage(page + 1)} disabled={page >= last}>
        {t('common.next')}
      </button>
    </div>
  );
}
