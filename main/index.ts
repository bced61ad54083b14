import { join } from 'node:path';
import { app, BrowserWindow, session } from 'electron';
import { Workbench } from '../pipeline/workbench';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { CONTENT_SECURITY_POLICY } from './security';
import { createMainWindow, rendererLocation } from './window';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const where = rendererLocation();
  let workbench: Workbench | undefined;

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
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
      });
    });
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

    workbench = new Workbench({
      transport: 'electron',
      configDir: app.getPath('userData'),
      resourcesDir: app.isPackaged
        ? join(process.resourcesPath, 'resources')
        : join(app.getAppPath(), 'resources'),
      version: app.getVersion(),
    });
    registerIpc(workbench, where, () => BrowserWindow.getAllWindows());
    installMenu();
    createMainWindow(where);

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow(where);
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => {
    void workbench?.close();
  });
}
