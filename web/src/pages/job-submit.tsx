/**
 * Submit a job: pin a chip, list acceptable chips, or let Tessera choose. Before submitting, the
 * performance model's estimate for each chip in the fleet is shown (H20-equivalents per card for
 * the workload class closest to the job's kind).
 */
import { useMemo, useState, type FormEvent } from 'react';
import { useApi } from '../api/session';
import type { JobSpecInput } from '../api/views';
import { ErrorBox, Load } from '../components/states';
import { Confidence, kindLabel, Panel } from '../components/ui';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../lib/router';
import { useResource } from '../lib/use-resource';

type Mode = 'any' | 'pinned' | 'any-of';
const kinds = ['training', 'finetune', 'batch', 'inference'] as const;
type Kind = (typeof kinds)[number];

/** The workload class whose H20-equivalents best describe a kind of job. */
export const classForKind: Record<Kind, string> = { training: 'llm-pretrain-8b', finetune: 'llm-finetune-7b-lora', batch: 'llm-serve-8b', inference: 'llm-serve-8b' };

export interface SubmitForm {
  name: string;
  kind: Kind;
  command: string;
  count: number;
  milliPerCard: number;
  mode: Mode;
  chips: string[];
  tenant: string;
  queue: string;
  priority: number;
  model: string;
}

/** The request body for the form, or the key of the message explaining what is missing. */
export function specOf(f: SubmitForm): JobSpecInput | 'submit.pickChips' {
  if (f.mode !== 'any' && f.chips.length === 0) return 'submit.pickChips';
  const chips = f.mode === 'any' ? { kind: 'any' as const } : f.mode === 'pinned' ? { kind: 'pinned' as const, chip: f.chips[0]! } : { kind: 'any-of' as const, chips: f.chips };
  return {
    name: f.name.trim(),
    kind: f.kind,
    command: f.command.trim().split(/\s+/).filter((s) => s.length > 0),
    resources: { count: f.count, ...(f.milliPerCard < 1000 ? { milliPerCard: f.milliPerCard } : {}), chips },
    ...(f.tenant ? { tenant: f.tenant } : {}),
    ...(f.queue ? { queue: f.queue } : {}),
    priority: f.priority,
    ...(f.model.trim() ? { model: { name: f.model.trim() } } : {}),
  } as JobSpecInput;
}

export function JobSubmitPage() {
  const { t, n } = useI18n();
  const api = useApi();
  const capacity = useResource((signal) => api.get('/api/v1/console/capacity', { signal }), [], ['node.'], 10_000);
  const tenants = useResource((signal) => api.get('/api/v1/tenants', { signal }), [], [], 0);
  const [f, setF] = useState<SubmitForm>({ name: `console-${Date.now().toString(36)}`, kind: 'batch', command: 'python eval.py', count: 1, milliPerCard: 1000, mode: 'any', chips: [], tenant: '', queue: '', priority: 0, model: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const idempotencyKey = useMemo(() => `console-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`, []);
  const set = (patch: Partial<SubmitForm>): void => setF((x) => ({ ...x, ...patch }));
  const cls = classForKind[f.kind];
  const estimate = capacity.data?.h20eq.find((h) => h.workloadClass === cls);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const spec = specOf(f);
    if (typeof spec === 'string') {
      setHint(t(spec));
      return;
    }
    setHint(null);
    setBusy(true);
    setError(null);
    try {
      const job = await api.post('/api/v1/jobs', { body: spec, headers: { 'idempotency-key': idempotencyKey } });
      navigate(`/jobs/${encodeURIComponent(job.id)}`);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  const toggleChip = (chip: string): void => set({ chips: f.mode === 'pinned' ? [chip] : f.chips.includes(chip) ? f.chips.filter((c) => c !== chip) : [...f.chips, chip] });
  return (
    <div className="page" data-page="submit">
      <p>
        <a href="#/jobs">← {t('nav.jobs')}</a>
      </p>
      <h1>{t('submit.title')}</h1>
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="submit-form">
        <label>
          {t('submit.name')}
          <input required maxLength={128} value={f.name} onChange={(e) => set({ name: e.target.value })} name="name" />
        </label>
        <label>
          {t('submit.kind')}
          <select value={f.kind} onChange={(e) => set({ kind: e.target.value as Kind })} name="kind">
            {kinds.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k, t)}
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          {t('submit.command')}
          <input required value={f.command} onChange={(e) => set({ command: e.target.value })} name="command" />
        </label>
        <label>
          {t('submit.count')}
          <input type="number" min={1} max={4096} value={f.count} onChange={(e) => set({ count: Number(e.target.value) })} name="count" />
        </label>
        <label>
          {t('submit.milli')}
          <input type="number" min={1} max={1000} step={1} value={f.milliPerCard} onChange={(e) => set({ milliPerCard: Number(e.target.value) })} name="milli" />
        </label>
        <label>
          {t('submit.tenant')}
          <select value={f.tenant} onChange={(e) => set({ tenant: e.target.value })} name="tenant">
            <option value="">—</option>
            {tenants.data?.items.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('submit.priority')}
          <input type="number" min={-1000} max={1000} value={f.priority} onChange={(e) => set({ priority: Number(e.target.value) })} name="priority" />
        </label>
        <label>
          {t('submit.model')}
          <input value={f.model} onChange={(e) => set({ model: e.target.value })} name="model" placeholder="qwen2.5-7b" />
        </label>
        <fieldset className="wide">
          <legend>{t('submit.chipMode')}</legend>
          {(['any', 'pinned', 'any-of'] as const).map((m) => (
            <label key={m} className="inline">
              <input type="radio" name="mode" value={m} checked={f.mode === m} onChange={() => set({ mode: m, chips: m === 'pinned' ? f.chips.slice(0, 1) : f.chips })} />
              {t(m === 'any' ? 'submit.modeAny' : m === 'pinned' ? 'submit.modePinned' : 'submit.modeAnyOf')}
            </label>
          ))}
        </fieldset>
        <div className="wide">
          <Panel title={`${t('submit.estimate')} · ${cls}`}>
            <Load r={capacity}>
              {() => (
                <table data-testid="estimates">
                  <thead>
                    <tr>
                      {f.mode !== 'any' ? <th /> : null}
                      <th>{t('common.chip')}</th>
                      <th className="num">{t('common.cards')}</th>
                      <th className="num">{t('overview.h20eqCol')}</th>
                      <th>{t('common.confidence')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(estimate?.byChip ?? []).map((b) => (
                      <tr key={b.chip}>
                        {f.mode !== 'any' ? (
                          <td>
                            <input type={f.mode === 'pinned' ? 'radio' : 'checkbox'} name="chip" aria-label={b.chip} checked={f.chips.includes(b.chip)} onChange={() => toggleChip(b.chip)} />
                          </td>
                        ) : null}
                        <td>{b.chip}</td>
                        <td className="num">{n(b.cards, 0)}</td>
                        <td className="num" title={b.reason}>
                          {b.h20eqPerCard === null ? t('submit.estimateNone') : `${n(b.h20eqPerCard, 2)}×`}
                        </td>
                        <td>
                          <Confidence value={b.confidence} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Load>
          </Panel>
        </div>
        {hint ? (
          <p role="alert" className="error-text wide">
            {hint}
          </p>
        ) : null}
        {error ? (
          <div className="wide">
            <ErrorBox error={error} />
          </div>
        ) : null}
        <div className="wide">
          <button type="submit" className="primary" disabled={busy} data-testid="submit-job">
            {busy ? t('submit.sending') : t('submit.go')}
          </button>
        </div>
      </form>
    </div>
  );
}
