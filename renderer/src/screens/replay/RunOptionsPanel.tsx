import type { ReactNode } from 'react';
import type { FieldErrors, RunForm } from './run-options';

interface Props {
  form: RunForm;
  errors: FieldErrors;
  onChange: (patch: Partial<RunForm>) => void;
  /** The lake folder the stream writes to, and a way to choose another. */
  lakeDir: string | undefined;
  onChangeLake: () => void;
  /** Choose the cluster's CA file with the native dialog or the in-app picker (which grants it). */
  onChooseCa: () => void;
}

const SPEEDS: { value: RunForm['speed']; label: string }[] = [
  { value: '1', label: '×1 (real time)' },
  { value: '10', label: '×10' },
  { value: '60', label: '×60 (a minute per second)' },
  { value: '600', label: '×600' },
  { value: 'max', label: 'Max (as fast as possible)' },
  { value: 'rate', label: 'Fixed events per second' },
];

/** A labelled control with its inline message; the message is tied to the control for screen readers. */
function Field({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: keyof RunForm;
  label: string;
  error: string | undefined;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div className={error ? 'run-field invalid' : 'run-field'}>
      <label htmlFor={`run-${id}`}>{label}</label>
      {children}
      {error ? (
        <span id={`run-${id}-error`} className="error-text" role="alert">
          {error}
        </span>
      ) : (
        hint && <span className="muted">{hint}</span>
      )}
    </div>
  );
}

/** Every replay.start option, edited as text and checked against the contract as it is typed. */
export function RunOptionsPanel({ form, errors, onChange, lakeDir, onChangeLake, onChooseCa }: Props) {
  const text = (id: keyof RunForm) => ({
    id: `run-${id}`,
    'aria-invalid': Boolean(errors[id]),
    'aria-describedby': errors[id] ? `run-${id}-error` : undefined,
  });

  return (
    <div className="run-options">
      <fieldset>
        <legend>Pace</legend>
        <Field id="speed" label="Speed" error={errors.speed}>
          <select
            {...text('speed')}
            value={form.speed}
            onChange={(e) => onChange({ speed: e.target.value as RunForm['speed'] })}
          >
            {SPEEDS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </Field>
        {form.speed === 'rate' && (
          <Field id="rate" label="Events per second" error={errors.rate}>
            <input
              {...text('rate')}
              inputMode="decimal"
              value={form.rate}
              onChange={(e) => onChange({ rate: e.target.value })}
            />
          </Field>
        )}
        <Field
          id="from"
          label="Event time from (UTC)"
          error={errors.from}
          hint="YYYY-MM-DD HH:MM:SS in UTC; empty: from the start"
        >
          <input
            {...text('from')}
            // Typed, not the browser's local-time picker: the window is UTC, like the dataset.
            type="text"
            placeholder="2019-10-01 00:00:00"
            spellCheck={false}
            size={19}
            value={form.from}
            onChange={(e) => onChange({ from: e.target.value })}
          />
        </Field>
        <Field
          id="to"
          label="Event time to (UTC)"
          error={errors.to}
          hint="YYYY-MM-DD HH:MM:SS in UTC; empty: to the end"
        >
          <input
            {...text('to')}
            // Typed, not the browser's local-time picker: the window is UTC, like the dataset.
            type="text"
            placeholder="2019-10-01 00:00:00"
            spellCheck={false}
            size={19}
            value={form.to}
            onChange={(e) => onChange({ to: e.target.value })}
          />
        </Field>
        <Field id="limit" label="Row limit" error={errors.limit} hint="empty: every row">
          <input
            {...text('limit')}
            inputMode="numeric"
            value={form.limit}
            placeholder="all rows"
            onChange={(e) => onChange({ limit: e.target.value })}
          />
        </Field>
        <Field id="order" label="Order" error={errors.order}>
          <select
            {...text('order')}
            value={form.order}
            onChange={(e) => onChange({ order: e.target.value as RunForm['order'] })}
          >
            <option value="file">As in the file</option>
            <option value="event_time">By event time (sorts first)</option>
          </select>
        </Field>
      </fieldset>

      <fieldset>
        <legend>Topic</legend>
        <Field id="topic" label="Topic" error={errors.topic}>
          <input
            {...text('topic')}
            value={form.topic}
            onChange={(e) => onChange({ topic: e.target.value })}
          />
        </Field>
        <Field id="partitions" label="Partitions" error={errors.partitions} hint="used when the topic is new">
          <input
            {...text('partitions')}
            inputMode="numeric"
            value={form.partitions}
            onChange={(e) => onChange({ partitions: e.target.value })}
          />
        </Field>
        <Field id="key" label="Message key" error={errors.key} hint="same key, same partition, in order">
          <select
            {...text('key')}
            value={form.key}
            onChange={(e) => onChange({ key: e.target.value as RunForm['key'] })}
          >
            <option value="user_id">user_id</option>
            <option value="user_session">user_session</option>
            <option value="none">none (round robin)</option>
          </select>
        </Field>
        <label className="run-check">
          <input
            type="checkbox"
            checked={form.resume}
            onChange={(e) => onChange({ resume: e.target.checked })}
          />
          Resume after an earlier run of this file and topic
        </label>
      </fieldset>

      <fieldset>
        <legend>Broker</legend>
        <div className="run-radios" role="radiogroup" aria-label="Broker">
          <label>
            <input
              type="radio"
              name="run-broker"
              checked={form.broker === 'embedded'}
              onChange={() => onChange({ broker: 'embedded' })}
            />
            Embedded (started on demand)
          </label>
          <label>
            <input
              type="radio"
              name="run-broker"
              checked={form.broker === 'external'}
              onChange={() => onChange({ broker: 'external' })}
            />
            External Kafka
          </label>
        </div>
        {form.broker === 'external' && (
          <>
            <Field id="bootstrap" label="Bootstrap servers" error={errors.bootstrap}>
              <input
                {...text('bootstrap')}
                placeholder="host:9092,host2:9092"
                value={form.bootstrap}
                onChange={(e) => onChange({ bootstrap: e.target.value })}
              />
            </Field>
            <label className="run-check">
              <input
                type="checkbox"
                checked={form.ssl}
                onChange={(e) => onChange({ ssl: e.target.checked })}
              />
              TLS
            </label>
            {form.ssl && (
              <Field
                id="tlsCa"
                label="TLS CA file"
                error={errors.tlsCa}
                hint="Only for a private or self-signed CA; empty trusts the system's CAs."
              >
                <span className="run-file">
                  <input
                    {...text('tlsCa')}
                    placeholder="/path/to/ca.pem"
                    spellCheck={false}
                    value={form.tlsCa}
                    onChange={(e) => onChange({ tlsCa: e.target.value })}
                  />
                  <button type="button" aria-label="Choose the TLS CA file" onClick={onChooseCa}>
                    Choose…
                  </button>
                </span>
              </Field>
            )}
            <Field id="sasl" label="SASL" error={errors.sasl}>
              <select
                {...text('sasl')}
                value={form.sasl}
                onChange={(e) => onChange({ sasl: e.target.value as RunForm['sasl'] })}
              >
                <option value="none">None</option>
                <option value="plain">PLAIN</option>
                <option value="scram-sha-256">SCRAM-SHA-256</option>
                <option value="scram-sha-512">SCRAM-SHA-512</option>
              </select>
            </Field>
            {form.sasl !== 'none' && (
              <>
                <Field id="username" label="User name" error={errors.username}>
                  <input
                    {...text('username')}
                    autoComplete="username"
                    value={form.username}
                    onChange={(e) => onChange({ username: e.target.value })}
                  />
                </Field>
                <Field id="password" label="Password" error={errors.password}>
                  <input
                    {...text('password')}
                    type="password"
                    autoComplete="current-password"
                    value={form.password}
                    onChange={(e) => onChange({ password: e.target.value })}
                  />
                </Field>
              </>
            )}
          </>
        )}
      </fieldset>

      <fieldset>
        <legend>Lake</legend>
        <label className="run-check">
          <input
            type="checkbox"
            checked={form.streamToLake}
            onChange={(e) => onChange({ streamToLake: e.target.checked })}
          />
          Stream into the lake (Bronze → Silver → Gold)
        </label>
        <span className="muted run-note">
          Starts the lake consumer on this topic; one following another topic is switched over.
        </span>
        <div className="run-lake">
          <span className="muted">Lake folder</span>
          <code title={lakeDir}>{lakeDir ?? '…'}</code>
          <button type="button" onClick={onChangeLake}>
            Change…
          </button>
        </div>
      </fieldset>
    </div>
  );
}
