import type { Envelope, EventName } from '../../contract';
import type { WorkbenchOptions } from '../../workbench-context';
import type { GrantKind } from '../path-grants';

/*
 * What travels between the Workbench host (utility process) and its relay (Electron main). Calls carry the
 * contract's untrusted name and payload as they came from the renderer; the host validates them with
 * dispatch(), exactly as the browser bridge does.
 */

/** main → host */
export type ToHost =
  | { type: 'init'; options: WorkbenchOptions }
  | { type: 'call'; id: number; name: unknown; payload: unknown }
  | { type: 'answer'; id: number; ok: boolean; value?: unknown; message?: string }
  /** The user chose this path in a native dialog (or dropped it on the window): this session may use it. */
  | { type: 'grant'; id: number; path: string; kind: GrantKind }
  | { type: 'shutdown' };

/** host → main */
export type FromHost =
  | { type: 'ready' }
  | { type: 'reply'; id: number; envelope: Envelope }
  | { type: 'event'; name: EventName; payload: unknown }
  /** The host asks main for what only main can do (a native dialog). */
  | { type: 'ask'; id: number; what: string; payload: unknown }
  | { type: 'granted'; id: number }
  | { type: 'closed' };

export function isMessage<T extends { type: string }>(value: unknown): value is T {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
  );
}
