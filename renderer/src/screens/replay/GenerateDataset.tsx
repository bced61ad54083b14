import { useState } from 'react';
import { api } from '../../api/client';
import { formatBytes, formatInteger } from '../../lib/format';

interface Props {
  /** Called with the generated CSV so the screen inspects it like any chosen file. */
  onGenerated: (path: string) => void;
  disabled?: boolean;
}

const MAX_ROWS = 2_000_000_000;

/** Inline check of the two numbers, so a typo is explained before any work starts. */
function validate(rows: string, seed: string): { rows?: string; seed?: string } {
  const errors: { rows?: string; seed?: string } = {};
  const r = Number(rows.replace(/[,_\s]/g, ''));
  if (!Number.isSafeInteger(r) || r < 1 || r > MAX_ROWS) {
    errors.rows = `Rows must be a whole number from 1 to ${formatInteger(MAX_ROWS)}.`;
  }
  if (seed.trim() !== '') {
    const s = Number(seed);
    if (!Number.isSafeInteger(s) || s < 0) errors.seed = 'The seed must be a whole number ≥ 0.';
  }
  return errors;
}

/** A synthetic REES46-style clickstream of any size; the same rows and seed always give the same file. */
export function GenerateDataset({ onGenerated, disabled }: Props) {
  const [rows, setRows] = useState('100000');
  const [seed, setSeed] = useState('1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const errors = validate(rows, seed);
  const invalid = Boolean(errors.rows ?? errors.seed);

  const generate = async () => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const result = await api().call('replay.generate', {
        rows: Number(rows.replace(/[,_\s]/g, '')),
        ...(seed.trim() !== '' ? { seed: Number(seed) } : {}),
      });
      setDone(`${formatInteger(result.rows)} rows, ${formatBytes(result.bytes)}`);
      onGenerated(result.path);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="generate-dataset">
      <summary>Generate a synthetic dataset…</summary>
      <div className="row">
        <label>
          Rows{' '}
          <input
            aria-label="Rows to generate"
            inputMode="numeric"
            size={12}
            value={rows}
            aria-invalid={Boolean(errors.rows)}
            onChange={(e) => setRows(e.target.value)}
          />
        </label>
        <label>
          Seed{' '}
          <input
            aria-label="Seed"
            inputMode="numeric"
            size={6}
            value={seed}
            aria-invalid={Boolean(errors.seed)}
            onChange={(e) => setSeed(e.target.value)}
          />
        </label>
        <button type="button" disabled={disabled || busy || invalid} onClick={() => void generate()}>
          {busy ? 'Generating…' : 'Generate'}
        </button>
        {done && <span className="muted">Generated {done}</span>}
      </div>
      {(errors.rows ?? errors.seed) && <p className="error-text">{errors.rows ?? errors.seed}</p>}
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      <p className="muted">
        REES46 layout and shape (about 14 events per user, 96 % views, a daily curve); written to the app’s
        generated/ folder.
      </p>
    </details>
  );
}
