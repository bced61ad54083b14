import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startBridge } from '../../web/server';
import { defaultConfigDir, Workbench } from '../../workbench';
import { APP_VERSION } from '../../version';
import { rendererDir, resourcesDir } from '../app-root';
import { EXIT_USAGE, type Command } from '../command';
import { parsePort } from '../flags';

export const webCommand: Command = {
  name: 'web',
  summary: 'Serve the workbench to a browser on 127.0.0.1, with a per-start token.',
  synopsis: '[--port N] [--lake DIR] [--config DIR]',
  options: {
    port: { type: 'string' },
    lake: { type: 'string' },
    config: { type: 'string' },
  },
  async run({ values }, io) {
    const port = parsePort(values.port, 0);
    if (typeof port === 'string') {
      io.err(`clickpulse web: ${port}`);
      return EXIT_USAGE;
    }
    const staticDir = rendererDir();
    if (!existsSync(join(staticDir, 'index.html'))) {
      io.err(
        `clickpulse web: the renderer is not built (no ${staticDir}/index.html); run "npm run build" first.`,
      );
      return 1;
    }
    const workbench = new Workbench({
      transport: 'web',
      configDir: typeof values.config === 'string' ? values.config : defaultConfigDir(),
      ...(typeof values.lake === 'string' ? { lakeDir: values.lake } : {}),
      resourcesDir: resourcesDir(),
      version: APP_VERSION,
    });
    const bridge = await startBridge({ workbench, staticDir, port });
    io.out(bridge.url);
    io.err(
      `ClickPulse Workbench ${APP_VERSION} is serving lake ${await workbench.lakeDir()} on 127.0.0.1:${bridge.port}. Ctrl-C stops it.`,
    );
    await io.stopSignal;
    await bridge.close();
    await workbench.close();
    return 0;
  },
};
