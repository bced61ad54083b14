import {
  ApiError,
  type CallName,
  type CallRequest,
  type CallResponse,
  type EventName,
  type EventPayload,
} from '../../../pipeline/contract';
import { detectTransport, type Transport } from './transport';

/** The typed Workbench API as the page sees it, whichever transport carries it. */
export class WorkbenchClient {
  constructor(readonly transport: Transport) {}

  async call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>> {
    const envelope = await this.transport.call(name, request);
    if (!envelope.ok) throw new ApiError(envelope.error);
    return envelope.value as CallResponse<K>;
  }

  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
    return this.transport.on(name, listener as (payload: unknown) => void);
  }
}

let client: WorkbenchClient | undefined;

export function api(): WorkbenchClient {
  client ??= new WorkbenchClient(detectTransport());
  return client;
}
