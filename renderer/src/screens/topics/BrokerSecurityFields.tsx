import type { BrokerSecurityOptions, BrokerStatus } from '../../../../pipeline/contract';

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

const FIELDS: { key: keyof SecurityForm; label: string; placeholder: string }[] = [
  { key: 'host', label: 'Listen on', placeholder: '127.0.0.1' },
  { key: 'tlsCertFile', label: 'TLS certificate file', placeholder: '/path/to/broker.pem' },
  { key: 'tlsKeyFile', label: 'TLS key file', placeholder: '/path/to/broker.key' },
  { key: 'saslUsersFile', label: 'SASL users file', placeholder: '/path/to/users.json' },
];

/**
 * TLS, SASL and the interface the broker listens on. Off by default and loopback only: another interface
 * needs TLS or SASL (the broker refuses it otherwise and says why).
 */
export function BrokerSecurityFields({ form, disabled, onChange }: Props) {
  return (
    <details className="broker-security">
      <summary>Security: TLS, SASL and network</summary>
      <div className="broker-security-fields">
        {FIELDS.map((f) => (
          <label key={f.key} className="inline-field">
            {f.label}
            <input
              aria-label={f.label}
              value={form[f.key]}
              placeholder={f.placeholder}
              disabled={disabled}
              spellCheck={false}
              onChange={(e) => onChange({ ...form, [f.key]: e.target.value })}
            />
          </label>
        ))}
      </div>
      <p className="muted hint">
        Off by default, and the broker listens on 127.0.0.1 only. To share it on a network, give this
        machine&apos;s address and turn on TLS (PEM certificate and key) or SASL (a JSON users file, see
        README): PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512.
      </p>
    </details>
  );
}
