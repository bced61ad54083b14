import { defineApi } from '../api';
import { f, int16, int32, int64, nullableString, struct } from '../types';

export const InitProducerId = defineApi({
  key: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 2,
  request: struct({
    transactionalId: f(nullableString, '0+', null),
    transactionTimeoutMs: f(int32, '0+'),
  }),
  response: struct({
    throttleTimeMs: f(int32, '0+'),
    errorCode: f(int16, '0+'),
    producerId: f(int64, '0+', -1),
    producerEpoch: f(int16, '0+'),
  }),
});
