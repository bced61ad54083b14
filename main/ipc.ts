import { ipcMain, type BrowserWindow, type WebFrameMain } from 'electron';
import { dispatch, type Workbench } from '../pipeline/workbench';
import { isAppUrl, type RendererLocation } from './security';

export const CALL_CHANNEL = 'clickpulse:call';
export const EVENT_CHANNEL = 'clickpulse:event';

/**
 * Wires the contract to Electron IPC. dispatch() validates every request with zod; here we refuse any sender
 * that is not the app's own page in the app's own window (a sub-frame or navigated page gets nothing).
 */
export function registerIpc(
  workbench: Workbench,
  where: RendererLocation,
  windows: () => BrowserWindow[],
): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, name: unknown, payload: unknown) => {
    if (!isTrusted(event.senderFrame, where, windows())) {
      return {
        ok: false,
        error: { code: 'FORBIDDEN', message: 'IPC refused: the sender is not the app window.' },
      };
    }
    return dispatch(workbench, name, payload);
  });
  const unsubscribe = workbench.subscribe((name, payload) => {
    for (const window of windows())
      if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, name, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(CALL_CHANNEL);
  };
}

function isTrusted(frame: WebFrameMain | null, where: RendererLocation, windows: BrowserWindow[]): boolean {
  if (!frame || frame.parent !== null) return false;
  if (!windows.some((w) => !w.isDestroyed() && w.webContents.mainFrame === frame)) return false;
  return isAppUrl(frame.url, where);
}
