/** One job, live: lifecycle timeline, placement, why it waits, logs as they arrive, cancel with confirmation. */
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { useApi } from '../api/session';
import type { Event, Explain, Job, LogLine } from '../api/views';
import { Confirm } from '../components/confirm';
import { ErrorBox, Load } from '../components/states';
import { kindLabel, Panel, StateBadge } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useLive } from '../live/live';
import { useResource } from '../lib/use-resource';

const terminal = new Set(['Succeeded', 'Failed', 'Cancelled']);
const path = ['Pending', 'Admitted', 'Scheduled', 'Running'] as const;

/** The steps to draw: the usual path up to the current state, then the state it ended in; times where known. */
export function timeline(job: Job, seen: Event[]): { state: string; atMs: number | null; reached: boolean; current: boolean }[] {
  const times = new Map<string, number>();
  times.set('Pending', job.submittedAtMs);
  for (const e of seen) if (e.type === 'job.state' && e.subject === job.id && typeof e.data.to === 'string') times.set(e.data.to, e.atMs);
  if (job.startedAtMs !== null) times.set('Running', job.startedAtMs);
  if (job.finishedAtMs !== null) times.set(job.state, job.finishedAtMs);
  times.set(job.state, times.get(job.state) ?? job.updatedAtMs);
  const idx = path.indexOf(job.state as (typeof path)[number]);
  const steps: { state: string; atMs: number | null; reached: boolean; current: boolean }[] = path.map((s, i) => ({
    state: s,
    atMs: times.get(s) ?? null,
    reached: idx >= 0 ? i <= idx : times.has(s) || (s !== 'Running' && terminal.has(job.state) && job.startedAtMs !== null) || s === 'Pending',
    current: s === job.state,
  }));
  if (idx < 0) steps.push({ state: job.state, atMs: times.get(job.state) ?? null, reached: true, current: true });
  return steps;
}

export function JobDetailPage({ id }: { id: string }) {
  const { t, n, dateTime, time } = useI18n();
  const api = useApi();
  const { subscribe, recent } = useLive();
  const job = useResource((signal) => api.get('/api/v1/jobs/{id}', { params: { id }, signal }), [id], ['job.'], 500);
  const explain = useResource(async (signal) => (await api.get('/api/v1/jobs/{id}/explain', { params: { id }, signal })) as unknown as Explain, [id], ['job.'], 1000);
  const [seen, setSeen] = useState<Event[]>(() => recent.filter((e) => e.subject === id));
  const [logs, setLogs] = useState<LogLine[]>([]);
  const after = useRef(0);
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<Error | null>(null);

  useEffect(() => subscribe((e) => e.subject === id && setSeen((s) => [...s, e])), [subscribe, id]);

  useEffect(() => {
    let stop = false;
    after.current = 0;
    setLogs([]);
    const pull = async (): Promise<void> => {
      try {
        const r = (await api.get('/api/v1/jobs/{id}/logs', { params: { id }, query: { after: after.current } })) as unknown as { items: LogLine[]; next: number };
        if (stop) return;
        if (r.items.length > 0) {
          after.current = r.next;
          setLogs((l) => [...l, ...r.items].slice(-2000));
        }
      } catch {
        // Logs are best effort; the job panel shows errors.
      }
    };
    void pull();
    const timer = setInterval(() => void pull(), 2000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [api, id]);
  const cancel = async (): Promise<void> => {
    setBusy(true);
    setActionError(null);
    try {
      await api.post('/api/v1/jobs/{id}/cancel', { params: { id }, body: { reason: 'cancelled from the console' } });
      job.reload();
    } catch (e) {
      setActionError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
      setConfirm(false);
    }
  };

  if (job.error instanceof ApiError && job.error.status === 404) return <div className="page">{t('jobs.notFound')}</div>;
  return (
    <div className="page" data-page="job">
      <p>
        <a href="#/jobs">← {t('nav.jobs')}</a>
      </p>
      <Load r={job}>
        {(j) => (
          <>
            <div className="title-row">
              <h1>
                {j.name} <StateBadge state={j.state} />
              </h1>
              {terminal.has(j.state) ? null : (
                <button type="button" className="danger" onClick={() => setConfirm(true)} data-testid="cancel-job">
                  {t('jobs.cancel')}
                </button>
              )}
            </div>
            {actionError ? <ErrorBox error={actionError} /> : null}
            {confirm ? <Confirm message={t('jobs.cancelConfirm', { name: j.name })} confirmLabel={t('jobs.cancel')} busy={busy} onCancel={() => setConfirm(false)} onConfirm={() => void cancel()} /> : null}
            <Panel title={t('jobs.timeline')}>
              <ol className="timeline" data-testid="timeline">
                {timeline(j, seen).map((s) => (
                  <li key={s.state} className={`${s.reached ? 'reached' : ''} ${s.current ? 'current' : ''}`} aria-current={s.current ? 'step' : undefined}>
                    <StateBadge state={s.state} />
                    <div className="muted small">{s.atMs ? time(s.atMs) : '—'}</div>
                  </li>
                ))}
              </ol>
            </Panel>
            <div className="grid-2">
              <Panel title={t('jobs.why')}>
                <Load r={explain}>
                  {(x) => (
                    <div data-testid="explain">
                      <p>{x.summary}</p>
                      {x.reasons.length > 0 ? (
                        <ul>
                          {x.reasons.map((r, k) => (
                            <li key={k}>
                              <code>{r.plugin}</code>: {r.reason}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </div>
                  )}
                </Load>
              </Panel>
              <Panel title={t('jobs.placement')}>
                {j.placements.length === 0 ? (
                  <div className="state state-empty">{t('jobs.noPlacement')}</div>
                ) : (
                  <table>
                    <thead>
                      <tr>
                        <th>{t('common.nodes')}</th>
                        <th>{t('jobs.devices')}</th>
                        <th className="num">{t('jobs.share')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {j.placements.map((p) => (
                        <tr key={p.nodeId}>
                          <td>
                            <a href={`#/fleet/nodes/${encodeURIComponent(p.nodeId)}`}>{p.nodeId}</a>
                          </td>
                          <td>{p.devices.join(', ')}</td>
                          <td className="num">{n(p.milliPerDevice / 1000, 2)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </Panel>
            </div>
            <dl className="facts">
              <dt>{t('common.id')}</dt>
              <dd>
                <code>{j.id}</code>
              </dd>
              <dt>{t('common.kind')}</dt>
              <dd>{kindLabel(j.kind, t)}</dd>
              <dt>{t('common.tenant')}</dt>
              <dd>
                {j.tenant} / {j.queue}
              </dd>
              <dt>{t('common.cards')}</dt>
              <dd>
                {n(j.cards, 0)}
                {j.milliPerCard < 1000 ? ` × ${n(j.milliPerCard / 1000, 2)}` : ''} {j.chip ? `· ${j.chip}` : ''}
              </dd>
              <dt>{t('jobs.chipRequest')}</dt>
              <dd>
                <code>{JSON.stringify((j.spec as { resources?: { chips?: unknown } }).resources?.chips ?? null)}</code>
              </dd>
              <dt>{t('jobs.attempt')}</dt>
              <dd>{j.attempt}</dd>
              <dt>{t('common.submitted')}</dt>
              <dd>{dateTime(j.submittedAtMs)}</dd>
              <dt>{t('jobs.started')}</dt>
              <dd>{dateTime(j.startedAtMs)}</dd>
              <dt>{t('jobs.finished')}</dt>
              <dd>{dateTime(j.finishedAtMs)}</dd>
              {j.exitCode !== null ? (
                <>
                  <dt>{t('jobs.exitCode')}</dt>
                  <dd>{j.exitCode}</dd>
                </>
              ) : null}
              {j.reason ? (
                <>
                  <dt>{t('jobs.reason')}</dt>
                  <dd>{j.reason}</dd>
                </>
              ) : null}
            </dl>
          </>
        )}
      </Load>
      <Panel title={t('jobs.logs')}>
        {logs.length === 0 ? (
          <div className="state state-empty">{t('jobs.noLogs')}</div>
        ) : (
          <pre className="logs" data-testid="logs" aria-live="polite">
            {logs.map((l) => (
              <span key={l.seq} className={l.stream}>
                {l.text.endsWith('\n') ? l.text : `${l.text}\n`}
              </span>
            ))}
          </pre>
        )}
      </Panel>
    </div>
  );
}
