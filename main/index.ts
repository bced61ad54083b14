import { join } from 'node:path';
import { app, BrowserWindow, protocol, session } from 'electron';
import type { WorkbenchClient } from '../pipeline/app/host/client';
import { answerSecret, SECRET_QUESTION } from '../pipeline/app/host/relayed-secrets';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, appResponse } from './app-protocol';
import { registerIpc, showPicker } from './ipc';
import { keychainSecretStore } from './secret-store';
import { installMenu } from './menu';
import { CONTENT_SECURITY_POLICY, devToolsAllowed, permissionCheck, permissionRequest } from './security';
import { createMainWindow, rendererDir, rendererLocation } from './window';
import { startWorkbenchProcess } from './workbench-process';

// Before 'ready': app:// becomes a standard, secure origin the renderer is served from (not file://).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const where = rendererLocation();
  const devTools = devToolsAllowed(app.isPackaged);
  let workbench: WorkbenchClient | undefined;
  let quitting = false;

  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  void app.whenReady().then(() => {
    const ses = session.defaultSession;
    ses.protocol.handle(APP_SCHEME, (request) =>
      appResponse(request.url, rendererDir(), CONTENT_SECURITY_POLICY),
    );
    ses.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
      });
    });
    ses.setPermissionCheckHandler(permissionCheck);
    ses.setPermissionRequestHandler(permissionRequest);

    // The Workbench runs in its own utility process; main relays the contract to it.
    workbench = startWorkbenchProcess({
      transport: 'electron',
      configDir: app.getPath('userData'),
      resourcesDir: app.isPackaged
        ? join(process.resourcesPath, 'resources')
        : join(app.getAppPath(), 'resources'),
      version: app.getVersion(),
    });
    // The host asks main for what only main can do: a native dialog.
    workbench.onAsk('pick', (request) => showPicker(request, BrowserWindow.getAllWindows()[0] ?? null));
    // ...and the OS keychain, where a sink's database password is kept (encrypted by safeStorage).
    workbench.onAsk(
      SECRET_QUESTION,
      answerSecret(keychainSecretStore(join(app.getPath('userData'), 'secrets.json'))),
    );
    registerIpc(workbench, where, () => BrowserWindow.getAllWindows());
    installMenu(devTools);
    createMainWindow(where, devTools);

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow(where, devTools);
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Quit waits (at most 5 s) for the Workbench process to stop its broker and flush Bronze.
  app.on('before-quit', (event) => {
    if (quitting || !workbench) return;
    event.preventDefault();
    quitting = true;
    void workbench.shutdown().finally(() => app.quit());
  });
}
