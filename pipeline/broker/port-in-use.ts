import { createServer } from 'node:net';

export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(
    readonly host: string,
    readonly port: number,
    readonly freePort: number | null,
  ) {
    super(
      `Port ${port} on ${host} is already in use (another Kafka broker or app?).` +
        (freePort
          ? ` Port ${freePort} is free: choose it, or stop what uses ${port}.`
          : ' Choose another port.'),
    );
  }
}

/** The first port after `from` that we can listen on now, or null. */
export async function findFreePort(host: string, from: number, tries = 50): Promise<number | null> {
  for (let port = from + 1; port < from + 1 + tries && port <= 65535; port++) {
    if (await canListen(host, port)) return port;
  }
  return null;
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
