import { BrowserWindow, dialog, ipcMain, type WebFrameMain } from 'electron';
import type { Envelope, EventName } from '../pipeline/contract';
import { isAppUrl, type RendererLocation } from './security';

/** The contract as main relays it: the Workbench lives in its utility process (WorkbenchClient). */
export interface ContractRelay {
  call(name: unknown, payload: unknown): Promise<Envelope>;
  /** The user chose this path in main's dialog (or dropped it): the page may use it this session. */
  grant(path: string, kind: 'file' | 'folder'): Promise<void>;
  subscribe(listener: (name: EventName, payload: unknown) => void): () => void;
}

export const CALL_CHANNEL = 'clickpulse:call';
export const EVENT_CHANNEL = 'clickpulse:event';
export const PICK_CHANNEL = 'clickpulse:pick';
export const DROP_CHANNEL = 'clickpulse:dropped';

/**
 * Wires the contract to Electron IPC: renderer ↔ main ↔ Workbench process. The host's dispatch() validates
 * every request with zod; here we refuse any sender that is not the app's own page in the app's own window
 * (a sub-frame or navigated page gets nothing).
 */
export function registerIpc(
  workbench: ContractRelay,
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
    return workbench.call(name, payload);
  });
  // Native open/save dialogs: the one thing only the desktop transport can do; the page gets a path back,
  // and the Workbench lets the page use that path (and only such paths) from now on.
  ipcMain.handle(PICK_CHANNEL, async (event, request: unknown) => {
    if (!isTrusted(event.senderFrame, where, windows())) return null;
    const options = parsePick(request);
    const path = await showPicker(options, BrowserWindow.fromWebContents(event.sender));
    if (path) await workbench.grant(path, options.mode === 'folder' ? 'folder' : 'file');
    return path;
  });
  // A file dropped on the window: the preload sends the path Electron gives a real dropped File (a page
  // cannot reach this channel, and cannot make a File with a path of its choosing).
  ipcMain.handle(DROP_CHANNEL, async (event, path: unknown) => {
    if (!isTrusted(event.senderFrame, where, windows()) || typeof path !== 'string' || !path) return false;
    await workbench.grant(path, 'file');
    return true;
  });
  const unsubscribe = workbench.subscribe((name, payload) => {
    for (const window of windows())
      if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, name, payload);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(CALL_CHANNEL);
    ipcMain.removeHandler(PICK_CHANNEL);
    ipcMain.removeHandler(DROP_CHANNEL);
  };
}

function isTrusted(frame: WebFrameMain | null, where: RendererLocation, windows: BrowserWindow[]): boolean {
  if (!frame || frame.parent !== null) return false;
  if (!windows.some((w) => !w.isDestroyed() && w.webContents.mainFrame === frame)) return false;
  return isAppUrl(frame.url, where);
}

interface PickOptions {
  mode: 'file' | 'folder' | 'save';
  title: string;
  filters: { name: string; extensions: string[] }[];
}

function parsePick(request: unknown): PickOptions {
  const r = (request ?? {}) as Partial<PickOptions>;
  const mode = r.mode === 'folder' || r.mode === 'save' ? r.mode : 'file';
  const filters = Array.isArray(r.filters)
    ? r.filters
        .filter((f) => typeof f?.name === 'string' && Array.isArray(f.extensions))
        .map((f) => ({ name: f.name, extensions: f.extensions.filter((e) => typeof e === 'string') }))
    : [];
  return { mode, title: typeof r.title === 'string' ? r.title : 'Choose', filters };
}

/** A native open/save dialog; the chosen path or null. Used for the page's picks and the host's asks. */
export async function showPicker(request: unknown, owner: BrowserWindow | null): Promise<string | null> {
  const options = parsePick(request);
  if (options.mode === 'save') {
    const result = owner
      ? await dialog.showSaveDialog(owner, { title: options.title, filters: options.filters })
      : await dialog.showSaveDialog({ title: options.title, filters: options.filters });
    return result.canceled ? null : (result.filePath ?? null);
  }
  const properties: ('openFile' | 'openDirectory')[] = [
    options.mode === 'folder' ? 'openDirectory' : 'openFile',
  ];
  const result = owner
    ? await dialog.showOpenDialog(owner, { title: options.title, filters: options.filters, properties })
    : await dialog.showOpenDialog({ title: options.title, filters: options.filters, properties });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
