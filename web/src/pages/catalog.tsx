/** Catalog: every chip with each figure's source and confidence, and the seed's five-card comparison with ratios to the H20. */
import { useMemo, useState } from 'react';
import { useApi } from '../api/session';
import type { ChipView, Figure } from '../api/views';
import { Load } from '../components/states';
import { Confidence, Panel } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { useResource } from '../lib/use-resource';

function Cell({ f, unit, sources }: { f: Figure | undefined; unit: string; sources: Map<string, string> }) {
  const { n, t } = useI18n();
  if (!f || f.value === null) return <td className="num unknown">{t('common.unknown')}</td>;
  const keys = (f.source ?? '').split(',').filter((s) => s.length > 0);
  const title = [f.note, ...keys.map((k) => `${k}: ${sources.get(k) ?? ''}`)].filter(Boolean).join('\n');
  return (
    <td className="num" title={title}>
      {n(f.value, 1)} <small>{unit}</small> <Confidence value={f.confidence} />
      {keys.length > 0 ? <sup className="src">{keys.join(',')}</sup> : null}
    </td>
  );
}

export function CatalogPage() {
  const { t, lang } = useI18n();
  const api = useApi();
  const chips = useResource(async (signal) => ((await api.get('/api/v1/chips', { signal })) as unknown as { items: ChipView[] }).items, [], [], 0);
  const sources = useResource((signal) => api.get('/api/v1/console/sources', { signal }), [], [], 0);
  const comparison = useResource((signal) => api.get('/api/v1/console/comparison', { signal }), [], [], 0);
  const [q, setQ] = useState('');
  const sourceMap = useMemo(() => new Map((sources.data?.items ?? []).map((s) => [s.key, s.description])), [sources.data]);
  return (
    <div className="page" data-page="catalog">
      <h1>{t('catalog.title')}</h1>
      <Panel title={t('catalog.comparison')}>
        <Load r={comparison}>
          {(c) => (
            <div className="table-wrap">
              <table data-testid="comparison">
                <thead>
                  <tr>
                    <th />
                    {c.chips.map((x) => (
                      <th key={x.id} className="num">
                        {lang === 'zh-CN' ? x.zh : x.en}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {c.rows.map((r) => (
                    <tr key={r.key}>
                      <th scope="row">{r.label}</th>
                      {r.cells.map((cell) => (
                        <td key={cell.chipId} className="num" title={[cell.note, cell.source ? `${t('common.source')}: ${cell.source}` : null].filter(Boolean).join('\n')}>
                          {cell.text} <Confidence value={cell.confidence} />
                          <div className="ratio">{cell.ratio === null ? '—' : `${cell.ratioText} ${t('catalog.ratio')}`}</div>
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
              {c.conflicts.length > 0 ? (
                <details>
                  <summary>
                    {t('catalog.conflicts')} ({c.conflicts.length})
                  </summary>
                  <ul>
                    {c.conflicts.map((x) => (
                      <li key={x}>{x}</li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </div>
          )}
        </Load>
      </Panel>
      <Load r={chips} isEmpty={(c) => c.length === 0}>
        {(list) => {
          const s = q.trim().toLowerCase();
          const shown = s ? list.filter((c) => `${c.id} ${c.vendor} ${c.names.en} ${c.names.zh}`.toLowerCase().includes(s)) : list;
          return (
            <Panel
              title={t('catalog.chips', { count: shown.length })}
              actions={
                <label>
                  {t('catalog.filter')} <input type="search" value={q} onChange={(e) => setQ(e.target.value)} data-testid="chip-filter" />
                </label>
              }
            >
              <div className="table-wrap">
                <table data-testid="chips">
                  <thead>
                    <tr>
                      <th>{t('common.chip')}</th>
                      <th>{t('common.vendor')}</th>
                      <th className="num">{t('catalog.memory')}</th>
                      <th className="num">{t('catalog.bandwidth')}</th>
                      <th className="num">{t('catalog.bf16')}</th>
                      <th className="num">{t('catalog.fp16')}</th>
                      <th className="num">{t('catalog.int8')}</th>
                      <th className="num">{t('catalog.power')}</th>
                      <th>{t('catalog.stack')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((c) => (
                      <tr key={c.id}>
                        <td>
                          {lang === 'zh-CN' ? c.names.zh : c.names.en}
                          <div className="muted small">{c.id}</div>
                        </td>
                        <td>{c.vendor}</td>
                        <Cell f={c.memoryGiB} unit="GiB" sources={sourceMap} />
                        <Cell f={c.memBandwidthGBps} unit="GB/s" sources={sourceMap} />
                        <Cell f={c.densePeak.bf16Tflops} unit="TFLOPS" sources={sourceMap} />
                        <Cell f={c.densePeak.fp16Tflops} unit="TFLOPS" sources={sourceMap} />
                        <Cell f={c.densePeak.int8Tops} unit="TOPS" sources={sourceMap} />
                        <Cell f={c.tdpW} unit="W" sources={sourceMap} />
                        <td>{c.software?.stack ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <details>
                <summary>{t('catalog.sources')}</summary>
                <dl className="sources">
                  {[...sourceMap].map(([k, d]) => (
                    <div key={k}>
                      <dt>{k}</dt>
                      <dd>{d}</dd>
                    </div>
                  ))}
                </dl>
              </details>
            </Panel>
          );
        }}
      </Load>
    </div>
  );
}
