import { resolve } from 'node:path';
import { Broker } from '../../broker/broker';
import { brokerConfig, DEFAULT_BROKER_PORT } from '../../broker/config';
import { PortInUseError } from '../../broker/port-in-use';
import { defaultBrokerDataDir } from '../../broker/service';
import { defaultConfigDir } from '../../workbench';
import { EXIT_USAGE, type Command } from '../command';
import { parsePort } from '../flags';

export const brokerCommand: Command = {
  name: 'broker',
  summary: 'Run the embedded Kafka broker in the foreground.',
  synopsis: '[--port P] [--data DIR] [--host ADDRESS]',
  options: {
    port: { type: 'string' },
    data: { type: 'string' },
    host: { type: 'string' },
  },
  async run({ values }, io) {
    const port = parsePort(values.port, DEFAULT_BROKER_PORT);
    if (typeof port === 'string') {
      io.err(`clickpulse broker: ${port}`);
      return EXIT_USAGE;
    }
    const dataDir =
      typeof values.data === 'string' ? resolve(values.data) : defaultBrokerDataDir(defaultConfigDir());
    const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
    let broker: Broker;
    try {
      broker = await Broker.start(brokerConfig({ dataDir, port, host }), (level, message) =>
        io.err(`[${level}] ${message}`),
      );
    } catch (err) {
      io.err(`clickpulse broker: ${err instanceof Error ? err.message : String(err)}`);
      return err instanceof PortInUseError ? EXIT_USAGE : 1;
    }
    const { host: h, port: p } = broker.address;
    io.out(`${h}:${p}`);
    io.err(`Kafka broker listening on ${h}:${p} (data in ${dataDir}). Ctrl-C stops it.`);
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
      io.err(
        `Warning: listening on ${host} makes the broker reachable from other machines; it has no authentication.`,
      );
    }
    await io.stopSignal;
    await broker.stop();
    io.err('Broker stopped; its data stays on disk.');
    return 0;
  },
};
