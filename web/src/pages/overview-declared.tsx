/** The operator's declared compute beside what Tessera computes (unicom-2025: 3479 P stated, 3579 P summed). */
import type { Capacity } from '../api/views';
import { Panel } from '../components/ui';
import { useI18n } from '../i18n/i18n';

export function DeclaredPanel({ d }: { d: NonNullable<Capacity['declared']> }) {
  const { t, n } = useI18n();
  const diff = d.declaredTotalPflops !== null && d.sumOfDeclaredPflops !== null ? d.sumOfDeclaredPflops - d.declaredTotalPflops : null;
  return (
    <Panel title={t('overview.declared', { fleet: d.fleet })}>
      <div className="declared" data-testid="declared">
        <div className="stats">
          <div className="stat">
            <div className="stat-label">{t('overview.declaredTotal')}</div>
            <div className="stat-value">{n(d.declaredTotalPflops, 0)} P</div>
          </div>
          <div className="stat">
            <div className="stat-label">{t('overview.declaredSum')}</div>
            <div className="stat-value">{n(d.sumOfDeclaredPflops, 0)} P</div>
          </div>
          <div className="stat">
            <div className="stat-label">{t('overview.computed')}</div>
            <div className="stat-value">{n(d.computedPflops, 0)} P</div>
          </div>
        </div>
        {diff !== null && Math.abs(diff) > 0.5 ? (
          <p className="warning" role="note">
            ⚠ {t('overview.discrepancy', { diff: n(diff, 0) })}
          </p>
        ) : null}
        {d.warnings.length > 0 ? (
          <ul className="warnings">
            {d.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        ) : null}
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('overview.group')}</th>
                <th>{t('common.chip')}</th>
                <th className="num">{t('common.cards')}</th>
                <th className="num">{t('overview.declaredPflops')}</th>
                <th className="num">{t('overview.catalogPflops')}</th>
                <th className="num">{t('overview.implied')}</th>
                <th>{t('common.source')}</th>
              </tr>
            </thead>
            <tbody>
              {d.groups.map((g) => (
                <tr key={g.group}>
                  <td>{g.name ?? g.group}</td>
                  <td>{g.chip}</td>
                  <td className="num">
                    {n(g.cards, 0)}
                    {g.cardsDerived ? <small> ({t('overview.derivedCards')})</small> : null}
                  </td>
                  <td className="num">{n(g.declaredPflops, 0)}</td>
                  <td className="num">{n(g.catalogPflops, 0)}</td>
                  <td className="num">{n(g.impliedTflopsPerCard, 1)}</td>
                  <td>{g.source ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </Panel>
  );
}
