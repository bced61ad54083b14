import type { BrokerSecurityOptions, BrokerStatus } from '../../../../pipeline/contract';
import { usePathPicker } from '../../lib/usePathPicker';

/** What the user typed for how the broker listens; empty strings = not given. */
export interface SecurityForm {
  host: string;
  tlsCertFile: string;
  tlsKeyFile: string;
  saslUsersFile: string;
}

export const EMPTY_SECURITY: SecurityForm = {
  host: '127.0.0.1',
  tlsCertFile: '',
  tlsKeyFile: '',
  saslUsersFile: '',
};

/** The broker.start security options from the form: only what was filled in. */
export function securityOptions(form: SecurityForm): BrokerSecurityOptions {
  const given = (v: string) => (v.trim() === '' ? undefined : v.trim());
  const tlsCertFile = given(form.tlsCertFile);
  const tlsKeyFile = given(form.tlsKeyFile);
  const saslUsersFile = given(form.saslUsersFile);
  return {
    host: given(form.host) ?? '127.0.0.1',
    ...(tlsCertFile ? { tlsCertFile } : {}),
    ...(tlsKeyFile ? { tlsKeyFile } : {}),
    ...(saslUsersFile ? { saslUsersFile } : {}),
  };
}

/** How a client reaches the running broker, e.g. for kcat: its security protocol and SASL mechanisms. */
export function securitySummary(status: BrokerStatus): { label: string; kcatFlags: string } {
  const sasl = status.saslMechanisms.length > 0;
  const protocol = `${sasl ? 'SASL_' : ''}${status.tls ? 'SSL' : 'PLAINTEXT'}`;
  const label = sasl
    ? `${protocol}: ${status.saslMechanisms.join(', ')}`
    : status.tls
      ? `${protocol} (TLS, no authentication)`
      : `${protocol} (no TLS, no authentication)`;
  const flags = [
    ...(protocol !== 'PLAINTEXT' ? [`-X security.protocol=${protocol}`] : []),
    ...(sasl ? ['-X sasl.mechanisms=SCRAM-SHA-256 -X sasl.username=USER -X sasl.password=…'] : []),
    ...(status.tls ? ['-X ssl.ca.location=CA.pem'] : []),
  ];
  return { label, kcatFlags: flags.join(' ') };
}

interface Props {
  form: SecurityForm;
  disabled: boolean;
  onChange: (form: SecurityForm) => void;
}

const FIELDS: {
  key: keyof SecurityForm;
  label: string;
  placeholder: string;
  /** A file the broker reads: chosen with the native dialog or the in-app picker (which grants it). */
  file?: { name: string; extensions: string[] };
}[] = [
  { key: 'host', label: 'Listen on', placeholder: '127.0.0.1' },
  {
    key: 'tlsCertFile',
    label: 'TLS certificate file',
    placeholder: '/path/to/broker.pem',
    file: { name: 'PEM certificate', extensions: ['pem', 'crt', 'cer'] },
  },
  {
    key: 'tlsKeyFile',
    label: 'TLS key file',
    placeholder: '/path/to/broker.key',
    file: { name: 'PEM private key', extensions: ['key', 'pem'] },
  },
  {
    key: 'saslUsersFile',
    label: 'SASL users file',
    placeholder: '/path/to/users.json',
    file: { name: 'JSON users file', extensions: ['json'] },
  },
];

/**
 * TLS, SASL and the interface the broker listens on. Off by default and loopback only: another interface
 * needs TLS or SASL (the broker refuses it otherwise and says why).
 */
export function BrokerSecurityFields({ form, disabled, onChange }: Props) {
  const picker = usePathPicker();
  // A page may hand the broker only files the user chose (the dialog or picker grants them); a typed path
  // works where it is already granted, and in the CLI.
  const choose = async (
    key: keyof SecurityForm,
    label: string,
    file: { name: string; extensions: string[] },
  ) => {
    const current = form[key].trim();
    const start = current ? current.replace(/[\\/][^\\/]*$/, '') || undefined : undefined;
    const path = await picker.pick({ mode: 'file', title: label, filters: [file], purpose: 'tls' }, start);
    if (path) onChange({ ...form, [key]: path });
  };
  return (
    <details className="broker-security">
      <summary>Security: TLS, SASL and network</summary>
      <div className="broker-security-fields">
        {FIELDS.map(({ key, label, placeholder, file }) => (
          <span key={key} className="inline-field">
            <label className="inline-field">
              {label}
              <input
                aria-label={label}
                value={form[key]}
                placeholder={placeholder}
                disabled={disabled}
                spellCheck={false}
                onChange={(e) => onChange({ ...form, [key]: e.target.value })}
              />
            </label>
            {file && (
              <button
                type="button"
                aria-label={`Choose the ${label}`}
                disabled={disabled}
                onClick={() => void choose(key, label, file)}
              >
                Choose…
              </button>
            )}
          </span>
        ))}
      </div>
      {picker.element}
      <p className="muted hint">
        Off by default, and the broker listens on 127.0.0.1 only. To share it on a network, give this
        machine&apos;s address and turn on TLS (PEM certificate and key) or SASL (a JSON users file, see
        README): PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512.
      </p>
    </details>
  );
}
