/** The three states every page shows besides its data: loading, empty, error (with retry). */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { Resource } from '../lib/use-resource';

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {t('state.loading')}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return <div className="state state-empty">{children ?? t('state.empty')}</div>;
}

export function ErrorBox({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const { t } = useI18n();
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <div className="state state-error" role="alert">
      <span>{forbidden ? t('state.forbidden', { message: error.message }) : t('state.error', { message: error.message })}</span>
      {onRetry && !forbidden ? (
        <button type="button" onClick={onRetry}>
          {t('state.retry')}
        </button>
      ) : null}
    </div>
  );
}

/** Renders `children(data)` once loaded; loading and error states before; `isEmpty` decides the empty state. */
export function Load<T>({ r, isEmpty, empty, children }: { r: Resource<T>; isEmpty?: (d: T) => boolean; empty?: ReactNode; children: (d: T) => ReactNode }) {
  if (r.data === null) {
    if (r.error) return <ErrorBox error={r.error} onRetry={r.reload} />;
    return <Loading />;
  }
  return (
    <>
      {r.error ? <ErrorBox error={r.error} onRetry={r.reload} /> : null}
      {isEmpty?.(r.data) ? <Empty>{empty}</Empty> : children(r.data)}
    </>
  );
}
