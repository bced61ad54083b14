import type { ChildProcess } from 'node:child_process';
import { Broker } from '../../pipeline/broker/broker';
import { brokerConfig, type BrokerConfig } from '../../pipeline/broker/config';
import { startCli } from './cli';
import { tempDir } from './temp';

export interface TestBroker {
  broker: Broker;
  bootstrap: string;
  port: number;
  dataDir: string;
  logs: string[];
  /** Stops it and starts a new broker on the same data folder (and port). */
  restart(): Promise<TestBroker>;
  stop(): Promise<void>;
}

/** Group timing fit for tests: no initial delay, short sessions allowed. */
export const FAST_GROUPS: Partial<BrokerConfig> = {
  groupInitialRebalanceDelayMs: 0,
  groupMinSessionTimeoutMs: 1000,
};

/** A real broker on a free loopback port over a temp data folder, removed by remove(). */
export async function startTestBroker(
  overrides: Partial<BrokerConfig> = {},
): Promise<TestBroker & { remove: () => Promise<void> }> {
  const dir = await tempDir('clickpulse-broker-');
  const t = await startOn({ ...FAST_GROUPS, port: 0, ...overrides, dataDir: dir.path });
  return Object.assign(t, {
    remove: async () => {
      await t.stop();
      await dir.remove();
    },
  });
}

async function startOn(config: Partial<BrokerConfig> & { dataDir: string }): Promise<TestBroker> {
  const logs: string[] = [];
  const broker = await Broker.start(brokerConfig(config), (level, message) =>
    logs.push(`${level}: ${message}`),
  );
  const { port } = broker.address;
  const self: TestBroker = {
    broker,
    port,
    bootstrap: `127.0.0.1:${port}`,
    dataDir: config.dataDir,
    logs,
    restart: async () => {
      await self.broker.stop();
      const next = await startOn({ ...config, port });
      // Only the new broker's parts: this object's restart and stop keep working for the next restart.
      Object.assign(self, { broker: next.broker, logs: next.logs });
      return self;
    },
    stop: () => self.broker.stop(),
  };
  return self;
}

/** The built `clickpulse broker` as a child process (for crash tests: SIGKILL it). */
export async function spawnBrokerCli(
  dataDir: string,
  port = 0,
): Promise<{ child: ChildProcess; bootstrap: string; stderr: () => string }> {
  const started = startCli(['broker', '--port', String(port), '--data', dataDir]);
  const bootstrap = await started.line();
  return { child: started.child, bootstrap, stderr: started.stderr };
}
