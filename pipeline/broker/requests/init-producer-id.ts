import { ErrorCode } from '../error-codes';
import type { InitProducerId } from '../protocol/messages/init-producer-id';
import type { Handler } from './context';

/** A fresh producer id, epoch 0, for idempotent producers; transactional ids are not offered. */
export const handleInitProducerId: Handler<typeof InitProducerId> = (req, _ctx, core) => {
  if (req.transactionalId !== null) {
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      producerId: -1,
      producerEpoch: -1,
    };
  }
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    producerId: core.producerIds.allocate(),
    producerEpoch: 0,
  };
};
