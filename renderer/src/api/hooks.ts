import { useEffect, useState } from 'react';
import type {
  CallName,
  CallRequest,
  CallResponse,
  EventName,
  EventPayload,
} from '../../../pipeline/contract';
import { api } from './client';

export type Loadable<T> =
  { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; message: string };

/**
 * Calls the API whenever its inputs change (request, or any of deps such as a refresh counter);
 * screens render their loading, data and error states from the answer.
 */
export function useCall<K extends CallName>(
  name: K,
  request: CallRequest<K>,
  deps: unknown[] = [],
): Loadable<CallResponse<K>> {
  const key = JSON.stringify([name, request, deps]);
  const [answer, setAnswer] = useState<{ key: string; result: Loadable<CallResponse<K>> }>();
  useEffect(() => {
    let live = true;
    const [callName, callRequest] = JSON.parse(key) as [K, CallRequest<K>];
    api()
      .call(callName, callRequest)
      .then((value) => live && setAnswer({ key, result: { state: 'ready', value } }))
      .catch(
        (error: unknown) =>
          live &&
          setAnswer({
            key,
            result: { state: 'error', message: error instanceof Error ? error.message : String(error) },
          }),
      );
    return () => {
      live = false;
    };
  }, [key]);
  return answer?.key === key ? answer.result : { state: 'loading' };
}

export function useEvent<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): void {
  useEffect(() => api().on(name, listener), [name, listener]);
}

export function useConnection(): boolean {
  const [connected, setConnected] = useState(true);
  useEffect(() => api().transport.onConnection?.(setConnected), []);
  return connected;
}
