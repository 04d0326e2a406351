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
  const { t } = useI18n();
  const label = stateLabel(state, t);
  const marks: Record<string, string> = { Running: '▶', Succeeded: '✓', Failed: '✕', Cancelled: '⊘', Pending: '…', Admitted: '…', Scheduled: '→', Preempted: '↺', Lost: '?' };
  return (
    <span className="badge" data-state={state} style={{ borderColor: stateColour[state] ?? '#999' }}>
      <span aria-hidden="true" style={{ color: stateColour[state] ?? '#999' }}>
        {marks[state] ?? '•'}
      </span>{' '}
      {label}
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

const knownStates = new Set(['Pending', 'Admitted', 'Scheduled', 'Running', 'Succeeded', 'Failed', 'Cancelled', 'Preempted', 'Lost', 'Ready']);
const knownKinds = new Set(['training', 'finetune', 'batch', 'inference']);

/** A job or node state in the console's language (unknown states as the server names them). */
export function stateLabel(state: string, t: (k: MessageKey) => string): string {
  return knownStates.has(state) ? t(`jobState.${state}` as MessageKey) : state;
}

export function kindLabel(kind: string, t: (k: MessageKey) => string): string {
  return knownKinds.has(kind) ? t(`kind.${kind}` as MessageKey) : kind;
}
