import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { callNames, eventNames } from '../pipeline/contract';

const CALL_CHANNEL = 'clickpulse:call';
const EVENT_CHANNEL = 'clickpulse:event';
const PICK_CHANNEL = 'clickpulse:pick';
const DROP_CHANNEL = 'clickpulse:dropped';
const knownCalls = new Set<string>(callNames);
const knownEvents = new Set<string>(eventNames);

/**
 * window.clickpulse: the whole surface the page gets. A generic call/on pair keyed by the contract's names;
 * main validates every payload, so nothing here trusts the page either.
 */
contextBridge.exposeInMainWorld('clickpulse', {
  transport: 'electron',
  call(name: string, payload: unknown): Promise<unknown> {
    if (!knownCalls.has(name)) return Promise.reject(new Error(`Unknown call ${name}`));
    return ipcRenderer.invoke(CALL_CHANNEL, name, payload);
  },
  on(name: string, listener: (payload: unknown) => void): () => void {
    if (!knownEvents.has(name)) throw new Error(`Unknown event ${name}`);
    const wrapped = (_event: IpcRendererEvent, eventName: string, payload: unknown) => {
      if (eventName === name) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.off(EVENT_CHANNEL, wrapped);
  },
  /** Native open/save dialog; resolves to the chosen path or null (main grants it to the page). */
  pick(options: unknown): Promise<string | null> {
    return ipcRenderer.invoke(PICK_CHANNEL, options);
  },
  /**
   * The real path of a file dropped on the window ('' for a File not from disk), granted like a dialog's
   * choice: the path comes from Electron, not from the page.
   */
  async pathForFile(file: File): Promise<string> {
    const path = webUtils.getPathForFile(file);
    if (path) await ipcRenderer.invoke(DROP_CHANNEL, path);
    return path;
  },
});
