import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { SAMPLE_CSV } from '../../helpers/query-lake';
import { runCli } from '../../helpers/run-cli';
import { tempDir } from '../../helpers/temp';
import { makeTestCerts, type TestCerts } from '../../helpers/tls-certs';

// Replay and the lake stream reach a broker with TLS and SASL through the options a user gives for a real,
// secured cluster: --brokers, --tls-ca, --sasl-mechanism, --sasl-username and --sasl-password-env.
const PASSWORD_ENV = 'CLICKPULSE_TEST_KAFKA_PASSWORD';
let dir: { path: string; remove: () => Promise<void> };
let certs: TestCerts;
let broker: TestBroker & { remove: () => Promise<void> };

beforeAll(async () => {
  dir = await tempDir('clickpulse-secpipe-');
  certs = await makeTestCerts(dir.path);
  const users = join(dir.path, 'users.json');
  writeFileSync(users, JSON.stringify({ users: { lake: { password: 'lake-pass' } } }));
  broker = await startTestBroker({ tlsCertFile: certs.cert, tlsKeyFile: certs.key, saslUsersFile: users });
  process.env[PASSWORD_ENV] = 'lake-pass';
}, 60_000);

afterAll(async () => {
  Reflect.deleteProperty(process.env, PASSWORD_ENV);
  await broker?.remove();
  await dir?.remove();
});

const secured = (mechanism: string) => [
  '--brokers',
  broker.bootstrap,
  '--tls-ca',
  certs.ca,
  '--sasl-mechanism',
  mechanism,
  '--sasl-username',
  'lake',
  '--sasl-password-env',
  PASSWORD_ENV,
];

describe('replay and the lake stream against a broker with TLS and SASL', () => {
  it('replays the sample and streams it into Bronze, Silver and Gold (SCRAM-SHA-512 over TLS)', async () => {
    const lake = join(dir.path, 'lake');
    const r = await runCli([
      'replay',
      SAMPLE_CSV,
      ...secured('scram-sha-512'),
      '--topic',
      'secured_events',
      '--lake',
      lake,
      '--config',
      join(dir.path, 'config'),
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/completed: 1000 rows sent to secured_events on 127\.0\.0\.1:\d+/);
    expect(r.out).toMatch(/Bronze 1000 rows/);
    expect(r.out).toMatch(/gold\.\w+: [1-9]\d* rows/);
    expect(broker.broker.topics().find((t) => t.name === 'secured_events')?.messages).toBe(1000);
  }, 180_000);

  it('replays with PLAIN over TLS', async () => {
    const r = await runCli([
      'replay',
      SAMPLE_CSV,
      ...secured('plain'),
      '--topic',
      'plain_events',
      '--limit',
      '10',
      '--config',
      join(dir.path, 'config2'),
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/completed: 10 rows sent/);
  }, 120_000);

  it('fails with a wrong password in words, and sends nothing', async () => {
    process.env[PASSWORD_ENV] = 'wrong';
    try {
      const r = await runCli([
        'replay',
        SAMPLE_CSV,
        ...secured('scram-sha-256'),
        '--topic',
        'refused_events',
        '--config',
        join(dir.path, 'config3'),
      ]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        /Cannot reach Kafka at 127\.0\.0\.1:\d+: .*(SASL_AUTHENTICATION_FAILED|Authentication failed)/,
      );
      expect(broker.broker.topics().map((t) => t.name)).not.toContain('refused_events');
    } finally {
      process.env[PASSWORD_ENV] = 'lake-pass';
    }
  }, 120_000);

  it('explains incomplete or misplaced security flags', async () => {
    const noEnv = await runCli([
      'stream',
      '--lake',
      dir.path,
      '--brokers',
      broker.bootstrap,
      '--sasl-mechanism',
      'plain',
      '--sasl-username',
      'lake',
      '--sasl-password-env',
      'CLICKPULSE_UNSET_VAR',
    ]);
    expect(noEnv.code).toBe(2);
    expect(noEnv.err).toContain('the environment variable CLICKPULSE_UNSET_VAR is not set');
    const noBrokers = await runCli(['stream', '--lake', dir.path, '--tls-ca', certs.ca]);
    expect(noBrokers.code).toBe(2);
    expect(noBrokers.err).toContain('give its address with --brokers HOST:PORT');
    const partial = await runCli([
      'replay',
      SAMPLE_CSV,
      '--brokers',
      broker.bootstrap,
      '--sasl-username',
      'lake',
    ]);
    expect(partial.code).toBe(2);
    expect(partial.err).toContain(
      'SASL needs all of --sasl-mechanism, --sasl-username and --sasl-password-env',
    );
    const badMechanism = await runCli([
      'replay',
      SAMPLE_CSV,
      '--brokers',
      broker.bootstrap,
      '--sasl-mechanism',
      'gssapi',
      '--sasl-username',
      'lake',
      '--sasl-password-env',
      PASSWORD_ENV,
    ]);
    expect(badMechanism.code).toBe(2);
    expect(badMechanism.err).toMatch(/--brokers: /);
  });
});
