/** Small shared pieces: panels, stat cards, state and confidence badges. */
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/en';
import { stateColour } from '../lib/palette';

export function Panel({ title, children, actions, id }: { title: ReactNode; children: ReactNode; actions?: ReactNode; id?: string }) {
  return (
    <section className="panel" aria-labelledby={id}>
      <header className="panel-head">
        <h2 id={id}>{title}</h2>
        {actions}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

export function Stat({ label, value, sub, testId }: { label: ReactNode; value: ReactNode; sub?: ReactNode; testId?: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {sub ? <div className="stat-sub">{sub}</div> : null}
    </div>
  );
}

/** A job state with its colour and a shape mark, so it does not rely on colour alone. */
export function StateBadge({ state }: { state: string }) {
  const marks: Record<string, string> = { Running: '▶', Succeeded: '✓', Failed: '✕', Cancelled: '⊘', Pending: '…', Admitted: '…', Scheduled: '→', Preempted: '↺', Lost: '?' };
  return (
    <span className="badge" data-state={state} style={{ borderColor: stateColour[state] ?? '#999' }}>
      <span aria-hidden="true" style={{ color: stateColour[state] ?? '#999' }}>
        {marks[state] ?? '•'}
      </span>{' '}
      {state}
    </span>
  );
}

const confidenceKeys = new Set(['datasheet', 'press', 'derived', 'declared', 'unknown', 'high', 'medium', 'low']);

export function Confidence({ value }: { value: string }) {
  const { t } = useI18n();
  const label = confidenceKeys.has(value) ? t(`confidence.${value}` as MessageKey) : value;
  return (
    <span className={`conf conf-${value}`} title={label}>
      {label}
    </span>
  );
}
