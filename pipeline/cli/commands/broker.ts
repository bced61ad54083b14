import { resolve } from 'node:path';
import { Broker } from '../../broker/broker';
import { brokerConfig, brokerConfigProblem, DEFAULT_BROKER_PORT, isLoopbackHost } from '../../broker/config';
import { BrokerSecurityError } from '../../broker/listener';
import { PortInUseError } from '../../broker/port-in-use';
import { derivePasswordsInFile, UsersFileError } from '../../broker/sasl/users-file';
import { defaultBrokerDataDir } from '../../broker/service';
import { defaultConfigDir } from '../../workbench';
import { EXIT_USAGE, type Command } from '../command';
import { parsePort } from '../flags';

export const brokerCommand: Command = {
  name: 'broker',
  summary: 'Run the embedded Kafka broker in the foreground.',
  synopsis:
    '[--port P] [--data DIR] [--host ADDRESS] [--tls-cert FILE --tls-key FILE] [--sasl-users FILE] [--sasl-derive]',
  options: {
    port: { type: 'string' },
    data: { type: 'string' },
    host: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'sasl-users': { type: 'string' },
    'sasl-derive': { type: 'boolean' },
  },
  async run({ values }, io) {
    const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
    const usersFile = text('sasl-users') ? resolve(text('sasl-users') as string) : null;
    if (values['sasl-derive'] === true) {
      if (!usersFile) {
        io.err('clickpulse broker: --sasl-derive needs --sasl-users FILE.');
        return EXIT_USAGE;
      }
      try {
        const n = derivePasswordsInFile(usersFile);
        io.err(`Replaced ${n} password(s) in ${usersFile} with SCRAM-SHA-256 and SCRAM-SHA-512 credentials.`);
        return 0;
      } catch (err) {
        io.err(`clickpulse broker: ${(err as Error).message}`);
        return 1;
      }
    }
    const port = parsePort(values.port, DEFAULT_BROKER_PORT);
    if (typeof port === 'string') {
      io.err(`clickpulse broker: ${port}`);
      return EXIT_USAGE;
    }
    const dataDir =
      typeof values.data === 'string' ? resolve(values.data) : defaultBrokerDataDir(defaultConfigDir());
    const host = text('host') ?? '127.0.0.1';
    const config = brokerConfig({
      dataDir,
      port,
      host,
      tlsCertFile: text('tls-cert') ? resolve(text('tls-cert') as string) : null,
      tlsKeyFile: text('tls-key') ? resolve(text('tls-key') as string) : null,
      saslUsersFile: usersFile,
    });
    const problem = brokerConfigProblem(config);
    if (problem) {
      io.err(`clickpulse broker: ${problem}`);
      return EXIT_USAGE;
    }
    let broker: Broker;
    try {
      broker = await Broker.start(config, (level, message) => io.err(`[${level}] ${message}`));
    } catch (err) {
      io.err(`clickpulse broker: ${err instanceof Error ? err.message : String(err)}`);
      const usage =
        err instanceof PortInUseError || err instanceof BrokerSecurityError || err instanceof UsersFileError;
      return usage ? EXIT_USAGE : 1;
    }
    const { host: h, port: p } = broker.address;
    const { tls, saslMechanisms } = broker.security;
    const protocol = `${saslMechanisms.length ? 'SASL_' : ''}${tls ? 'SSL' : 'PLAINTEXT'}`;
    io.out(`${h}:${p}`);
    io.err(
      `Kafka broker listening on ${h}:${p} (${protocol}${saslMechanisms.length ? `, SASL ${saslMechanisms.join(', ')}` : ''}; data in ${dataDir}). Ctrl-C stops it.`,
    );
    if (!isLoopbackHost(host) && !tls) {
      io.err(
        `Warning: listening on ${host} without TLS: passwords and messages cross the network in clear text.`,
      );
    }
    await io.stopSignal;
    await broker.stop();
    io.err('Broker stopped; its data stays on disk.');
    return 0;
  },
};
