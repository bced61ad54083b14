import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { Kafka, logLevel, type SASLMechanism } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Broker } from '../../../pipeline/broker/broker';
import { brokerConfig } from '../../../pipeline/broker/config';
import { derivePasswordsInFile } from '../../../pipeline/broker/sasl/users-file';
import { startTestBroker, type TestBroker } from '../../helpers/broker';
import { run } from '../../helpers/exec';
import { RawKafka } from '../../helpers/raw-kafka';
import { repoRoot } from '../../helpers/repo-root';
import { runCli } from '../../helpers/run-cli';
import { tempDir } from '../../helpers/temp';
import { makeTestCerts, type TestCerts } from '../../helpers/tls-certs';

// The embedded broker with TLS and SASL, met by kcat (librdkafka), kafka-python and kafkajs with each
// mechanism, over TLS and over plain TCP, as a user of a secured Kafka would configure them.
const MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
const PASSWORD = { alice: 'alice-secret', bob: 'b0b,=secret' };

let dir: { path: string; remove: () => Promise<void> };
let certs: TestCerts;
let usersFile: string;
let secured: TestBroker & { remove: () => Promise<void> };
let saslOnly: TestBroker & { remove: () => Promise<void> };

beforeAll(async () => {
  dir = await tempDir('clickpulse-sec-');
  certs = await makeTestCerts(dir.path);
  // alice by password; bob by derived SCRAM credentials only (his password is not in the file).
  const bobFile = join(dir.path, 'bob.json');
  writeFileSync(bobFile, JSON.stringify({ users: { bob: { password: PASSWORD.bob } } }));
  derivePasswordsInFile(bobFile);
  const bob = (JSON.parse(readFileSync(bobFile, 'utf8')) as { users: Record<string, unknown> }).users.bob;
  usersFile = join(dir.path, 'users.json');
  writeFileSync(usersFile, JSON.stringify({ users: { alice: { password: PASSWORD.alice }, bob } }));
  secured = await startTestBroker({
    tlsCertFile: certs.cert,
    tlsKeyFile: certs.key,
    saslUsersFile: usersFile,
  });
  saslOnly = await startTestBroker({ saslUsersFile: usersFile });
}, 60_000);

afterAll(async () => {
  await secured?.remove();
  await saslOnly?.remove();
  await dir?.remove();
});

const targets = () => [
  { name: 'SASL_SSL', broker: secured, tls: true },
  { name: 'SASL_PLAINTEXT', broker: saslOnly, tls: false },
];

function kcatArgs(
  bootstrap: string,
  tls: boolean,
  mechanism: string,
  user: string,
  password: string,
): string[] {
  return [
    '-b',
    bootstrap,
    '-X',
    `security.protocol=${tls ? 'SASL_SSL' : 'SASL_PLAINTEXT'}`,
    '-X',
    `sasl.mechanisms=${mechanism}`,
    '-X',
    `sasl.username=${user}`,
    '-X',
    `sasl.password=${password}`,
    ...(tls ? ['-X', `ssl.ca.location=${certs.ca}`] : []),
  ];
}

describe('the users file', () => {
  it('keeps no password once derived: only salt, iterations and keys', () => {
    const text = readFileSync(join(dir.path, 'bob.json'), 'utf8');
    expect(text).not.toContain(PASSWORD.bob);
    expect(text).toMatch(/"iterations": 4096/);
    expect(text).toContain('SCRAM-SHA-512');
  });

  it('is refused at start with the file and the place named', async () => {
    const bad = join(dir.path, 'bad.json');
    writeFileSync(bad, JSON.stringify({ users: { carol: { pasword: 'x' } } }));
    await expect(
      Broker.start(brokerConfig({ dataDir: join(dir.path, 'd1'), port: 0, saslUsersFile: bad })),
    ).rejects.toThrow(/SASL users file .*bad\.json is invalid at users\.carol/);
  });
});

describe('kcat (librdkafka)', () => {
  for (const mechanism of MECHANISMS) {
    for (const user of ['alice', 'bob'] as const) {
      it(`produces and consumes with ${mechanism} as ${user} over SASL_SSL and SASL_PLAINTEXT`, async () => {
        for (const { name, broker, tls } of targets()) {
          const topic = `kcat-${mechanism}-${user}-${name}`.toLowerCase();
          const args = kcatArgs(broker.bootstrap, tls, mechanism, user, PASSWORD[user]);
          const put = await run('kcat', [...args, '-P', '-t', topic], { input: 'one\ntwo\nthree\n' });
          expect(put.code, put.stderr).toBe(0);
          const got = await run('kcat', [...args, '-C', '-t', topic, '-o', 'beginning', '-e', '-q']);
          expect(got.code, got.stderr).toBe(0);
          expect(got.stdout.trim().split('\n')).toEqual(['one', 'two', 'three']);
        }
      });
    }
  }

  it('is refused with a wrong password, with each mechanism', async () => {
    for (const mechanism of MECHANISMS) {
      for (const { broker, tls } of targets()) {
        const r = await run('kcat', [
          ...kcatArgs(broker.bootstrap, tls, mechanism, 'alice', 'wrong'),
          '-L',
          '-m',
          '2',
        ]);
        expect(r.code).not.toBe(0);
        expect(r.stderr).toMatch(/Authentication failed/);
      }
    }
  });
});

describe('kafka-python 2.0.2 (SaslHandshake v0, bare tokens)', () => {
  const script = join(repoRoot, 'tests', 'fixtures', 'kafka-python-sasl.py');
  for (const mechanism of MECHANISMS) {
    it(`produces and consumes with ${mechanism} over SASL_SSL and SASL_PLAINTEXT`, async () => {
      for (const { name, broker, tls } of targets()) {
        const topic = `kp-${mechanism}-${name}`.toLowerCase();
        const args = [
          script,
          broker.bootstrap,
          mechanism,
          'alice',
          PASSWORD.alice,
          topic,
          ...(tls ? [certs.ca] : []),
        ];
        const r = await run('/usr/bin/python3', args, { timeoutMs: 60_000 });
        expect(r.code, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout)).toEqual({ ok: true, values: ['kp-0', 'kp-1', 'kp-2', 'kp-3', 'kp-4'] });
      }
    });
  }

  it('is refused with a wrong password', async () => {
    for (const mechanism of MECHANISMS) {
      const args = [script, saslOnly.bootstrap, mechanism, 'bob', 'wrong', 'kp-refused'];
      const r = await run('/usr/bin/python3', args, { timeoutMs: 60_000 });
      expect(JSON.parse(r.stdout).ok).toBe(false);
    }
    expect(saslOnly.logs.join('\n')).toMatch(/Authentication failed/);
  });
});

describe('kafkajs (SaslHandshake v1 + SaslAuthenticate)', () => {
  const client = (bootstrap: string, tls: boolean, mechanism: string, username: string, password: string) =>
    new Kafka({
      brokers: [bootstrap],
      logLevel: logLevel.NOTHING,
      ssl: tls ? { ca: [readFileSync(certs.ca, 'utf8')] } : false,
      sasl: { mechanism: mechanism.toLowerCase() as SASLMechanism, username, password } as never,
      retry: { retries: 0 },
    });

  for (const mechanism of MECHANISMS) {
    it(`produces and consumes with ${mechanism} over SASL_SSL and SASL_PLAINTEXT`, async () => {
      for (const { name, broker, tls } of targets()) {
        const topic = `js-${mechanism}-${name}`.toLowerCase();
        const kafka = client(broker.bootstrap, tls, mechanism, 'bob', PASSWORD.bob);
        const producer = kafka.producer();
        const consumer = kafka.consumer({ groupId: `g-${topic}`, maxWaitTimeInMs: 100 });
        try {
          await producer.connect();
          await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }] });
          await consumer.connect();
          await consumer.subscribe({ topic, fromBeginning: true });
          const values: string[] = [];
          await consumer.run({ eachMessage: async ({ message }) => void values.push(String(message.value)) });
          const end = Date.now() + 20_000;
          while (values.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
          expect(values).toEqual(['a', 'b']);
        } finally {
          await consumer.disconnect();
          await producer.disconnect();
        }
      }
    });
  }

  it('is refused with a wrong password (SASL_AUTHENTICATION_FAILED)', async () => {
    for (const mechanism of MECHANISMS) {
      for (const { broker, tls } of targets()) {
        const admin = client(broker.bootstrap, tls, mechanism, 'alice', 'wrong').admin();
        try {
          await expect(admin.connect()).rejects.toThrow(/SASL_AUTHENTICATION_FAILED|Authentication failed/);
        } finally {
          await admin.disconnect();
        }
      }
    }
  });
});

/** A frame's error code right after the response header (correlation id). */
const errorCodeOf = (frame: Buffer) => frame.readInt16BE(4);

function saslHandshakeBody(mechanism: string): Buffer {
  const m = Buffer.from(mechanism);
  const len = Buffer.alloc(2);
  len.writeInt16BE(m.length);
  return Buffer.concat([len, m]);
}

function bytesField(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(b.length);
  return Buffer.concat([len, b]);
}

describe('the SASL wire protocol', () => {
  it('answers a wrong PLAIN password with error 58 and closes the connection', async () => {
    const raw = await RawKafka.open(saslOnly.port);
    try {
      const hs = (await raw.request(17, 1, saslHandshakeBody('PLAIN'))) as Buffer;
      expect(errorCodeOf(hs)).toBe(0);
      const auth = (await raw.request(36, 1, bytesField(Buffer.from('\0alice\0nope')), 2)) as Buffer;
      expect(errorCodeOf(auth)).toBe(58);
      const message = auth.readInt16BE(6);
      expect(auth.subarray(8, 8 + message).toString()).toBe(
        'Authentication failed: Invalid username or password',
      );
      expect(await raw.next()).toBeNull();
    } finally {
      raw.close();
    }
  });

  it('answers an unknown user like a wrong password', async () => {
    const raw = await RawKafka.open(saslOnly.port);
    try {
      await raw.request(17, 1, saslHandshakeBody('PLAIN'));
      const auth = (await raw.request(
        36,
        1,
        bytesField(Buffer.from('\0mallory\0alice-secret')),
        2,
      )) as Buffer;
      expect(errorCodeOf(auth)).toBe(58);
    } finally {
      raw.close();
    }
  });

  it('serves nothing but ApiVersions and SASL before authentication', async () => {
    const raw = await RawKafka.open(saslOnly.port);
    try {
      const versions = (await raw.request(18, 0, Buffer.alloc(0))) as Buffer;
      expect(errorCodeOf(versions)).toBe(0);
      const metadata = await raw.request(3, 1, Buffer.from([0, 0, 0, 0]), 2);
      expect(metadata).toBeNull();
      expect(saslOnly.logs.join('\n')).toMatch(/Metadata request before SASL authentication/);
    } finally {
      raw.close();
    }
  });

  it('refuses an unknown mechanism with UNSUPPORTED_SASL_MECHANISM and lists the offered ones', async () => {
    const raw = await RawKafka.open(saslOnly.port);
    try {
      const hs = (await raw.request(17, 1, saslHandshakeBody('GSSAPI'))) as Buffer;
      expect(errorCodeOf(hs)).toBe(33);
      expect(hs.subarray(6).toString()).toMatch(/PLAIN.*SCRAM-SHA-256.*SCRAM-SHA-512/s);
      expect(await raw.next()).toBeNull();
    } finally {
      raw.close();
    }
  });

  it('advertises SaslHandshake and SaslAuthenticate only when SASL is on', async () => {
    const apiKeys = async (port: number) => {
      const raw = await RawKafka.open(port);
      try {
        const frame = (await raw.request(18, 0, Buffer.alloc(0))) as Buffer;
        const count = frame.readInt32BE(6);
        return Array.from({ length: count }, (_, i) => frame.readInt16BE(10 + i * 6));
      } finally {
        raw.close();
      }
    };
    const plain = await startTestBroker();
    try {
      expect(await apiKeys(plain.port)).not.toContain(17);
      expect(await apiKeys(plain.port)).not.toContain(36);
    } finally {
      await plain.remove();
    }
    expect(await apiKeys(saslOnly.port)).toEqual(expect.arrayContaining([17, 36]));
  });

  it('speaks TLS with the given certificate and refuses plain TCP on the TLS port', async () => {
    const socket = tlsConnect({ host: '127.0.0.1', port: secured.port, ca: readFileSync(certs.ca) });
    try {
      await new Promise<void>((resolve, reject) =>
        socket.once('secureConnect', resolve).once('error', reject),
      );
      expect(socket.authorized).toBe(true);
      expect(socket.getPeerCertificate().subject.CN).toBe('localhost');
    } finally {
      socket.destroy();
    }
    const raw = await RawKafka.open(secured.port);
    try {
      raw.write(RawKafka.frame(18, 0, 1, Buffer.alloc(0)));
      expect(await raw.next()).toBeNull();
    } finally {
      raw.close();
    }
  });
});

describe('the listener policy', () => {
  it('refuses an interface other than loopback unless TLS or SASL is on, in one sentence', async () => {
    const data = join(dir.path, 'd2');
    await expect(Broker.start(brokerConfig({ dataDir: data, port: 0, host: '0.0.0.0' }))).rejects.toThrow(
      'Refusing to listen on 0.0.0.0: a broker reachable from other machines needs TLS (--tls-cert, --tls-key) or SASL (--sasl-users); without them it only listens on 127.0.0.1.',
    );
    const cli = await runCli(['broker', '--host', '0.0.0.0', '--port', '0', '--data', data]);
    expect(cli.code).toBe(2);
    expect(cli.err).toMatch(/Refusing to listen on 0\.0\.0\.0/);
  });

  it('refuses a certificate without its key', async () => {
    const cli = await runCli([
      'broker',
      '--port',
      '0',
      '--data',
      join(dir.path, 'd3'),
      '--tls-cert',
      certs.cert,
    ]);
    expect(cli.code).toBe(2);
    expect(cli.err).toContain('TLS needs both a certificate and a key');
  });
});
