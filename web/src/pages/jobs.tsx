/** Jobs: a live list with filters (state, kind, tenant) and search by name or id. */
import { useState } from 'react';
import { useApi } from '../api/session';
import type { Job } from '../api/views';
import { Load } from '../components/states';
import { kindLabel, stateLabel, StateBadge } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useResource } from '../lib/use-resource';
import { Pager } from './fleet';

export const jobStates = ['Pending', 'Admitted', 'Scheduled', 'Running', 'Succeeded', 'Failed', 'Cancelled', 'Preempted', 'Lost'] as const;
const kinds = ['training', 'finetune', 'batch', 'inference'] as const;
const pageSize = 50;

/** Jobs whose name or id contains `q` (case-insensitive). */
export function matchJobs(items: Job[], q: string): Job[] {
  const s = q.trim().toLowerCase();
  return s ? items.filter((j) => j.name.toLowerCase().includes(s) || j.id.toLowerCase().includes(s)) : items;
}

export function JobsPage() {
  const { t, n, dateTime } = useI18n();
  const api = useApi();
  const [state, setState] = useState('');
  const [kind, setKind] = useState('');
  const [tenant, setTenant] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  const tenants = useResource((signal) => api.get('/api/v1/tenants', { signal }), [], ['tenant.'], 5000);
  const searching = search.trim().length > 0;
  const id = search.trim();
  const jobs = useResource(
    async (signal) => {
      const page1 = await api.get('/api/v1/jobs', {
        query: { limit: searching ? 1000 : pageSize, offset: searching ? 0 : page * pageSize, ...(state ? { state } : {}), ...(kind ? { kind: kind as (typeof kinds)[number] } : {}), ...(tenant ? { tenant } : {}) },
        signal,
      });
      // A whole job id finds its job even when it is older than the newest thousand.
      if (/^job-[a-z0-9]+$/i.test(id) && !page1.items.some((j) => j.id === id)) {
        const one = await api.get('/api/v1/jobs/{id}', { params: { id }, signal }).catch(() => null);
        if (one) return { items: [one, ...page1.items], total: page1.total };
      }
      return page1;
    },
    [state, kind, tenant, page, searching, searching && /^job-/i.test(id) ? id : ''],
    ['job.'],
    1000,
  );
  const reset = (f: () => void): void => {
    f();
    setPage(0);
  };
  return (
    <div className="page" data-page="jobs">
      <div className="title-row">
        <h1>{t('jobs.title')}</h1>
        <a className="button primary" href="#/jobs/new" data-testid="new-job">
          {t('jobs.submit')}
        </a>
      </div>
      <div className="filters" role="search">
        <label>
          {t('common.search')}
          <input type="search" value={search} placeholder={t('jobs.searchPlaceholder')} onChange={(e) => reset(() => setSearch(e.target.value))} data-testid="job-search" />
        </label>
        <label>
          {t('jobs.filterState')}
          <select value={state} onChange={(e) => reset(() => setState(e.target.value))} data-testid="job-state">
            <option value="">{t('common.all')}</option>
            <option value="Pending,Admitted">{t('jobs.waitingStates')}</option>
            {jobStates.map((s) => (
              <option key={s} value={s}>
                {stateLabel(s, t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('common.kind')}
          <select value={kind} onChange={(e) => reset(() => setKind(e.target.value))}>
            <option value="">{t('common.all')}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k, t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('common.tenant')}
          <select value={tenant} onChange={(e) => reset(() => setTenant(e.target.value))}>
            <option value="">{t('common.all')}</option>
            {tenants.data?.items.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Load r={jobs} isEmpty={(j) => matchJobs(j.items, search).length === 0}>
        {(j) => {
          const items = matchJobs(j.items, search);
          return (
            <>
              <div className="table-wrap">
                <table data-testid="jobs">
                  <thead>
                    <tr>
                      <th>{t('common.name')}</th>
                      <th>{t('common.state')}</th>
                      <th>{t('common.kind')}</th>
                      <th>{t('common.tenant')}</th>
                      <th className="num">{t('common.cards')}</th>
                      <th>{t('common.chip')}</th>
                      <th>{t('common.submitted')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((x) => (
                      <tr key={x.id} data-job={x.id}>
                        <td>
                          <a href={`#/jobs/${encodeURIComponent(x.id)}`}>{x.name}</a>
                          <div className="muted small">{x.id}</div>
                        </td>
                        <td>
                          <StateBadge state={x.state} />
                        </td>
                        <td>{kindLabel(x.kind, t)}</td>
                        <td>{x.tenant}</td>
                        <td className="num">
                          {n(x.cards, 0)}
                          {x.milliPerCard < 1000 ? ` × ${n(x.milliPerCard / 1000, 2)}` : ''}
                        </td>
                        <td>{x.chip ?? '—'}</td>
                        <td>{dateTime(x.submittedAtMs)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {searching ? null : <Pager page={page} total={j.total} onPage={setPage} size={pageSize} />}
            </>
          );
        }}
      </Load>
    </div>
  );
}
