/** Sign in with an API token; the token is checked against the API before it is kept. */
import { useState, type FormEvent } from 'react';
import { createClient } from '../api/client';
import { useSession } from '../api/session';
import { useI18n } from '../i18n/i18n';

export function SignIn() {
  const { t } = useI18n();
  const { signIn, expired, fetchImpl } = useSession();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const value = token.trim();
    if (!value) return;
    setBusy(true);
    setError(null);
    try {
      await createClient({ token: () => value, ...(fetchImpl ? { fetch: fetchImpl } : {}) }).get('/api/v1/tenants');
      signIn(value);
    } catch (err) {
      setError(t('auth.bad', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="signin" id="main">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <h1 id="signin-title">
          <span className="logo" aria-hidden="true" /> {t('app.title')} · {t('auth.title')}
        </h1>
        <p className="muted">{t('auth.intro')}</p>
        {expired ? <p role="alert">{t('auth.expired')}</p> : null}
        <label>
          {t('auth.token')}
          <input type="password" autoComplete="current-password" value={token} onChange={(e) => setToken(e.target.value)} autoFocus name="token" />
        </label>
        {error ? (
          <p role="alert" className="error-text">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy || !token.trim()}>
          {busy ? t('auth.checking') : t('auth.submit')}
        </button>
      </form>
    </main>
  );
}
