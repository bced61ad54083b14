import { defineApi } from '../api';
import { array, f, int16, int32, int64, nullableString, records, string, struct } from '../types';

export const Produce = defineApi({
  key: 0,
  name: 'Produce',
  minVersion: 0,
  maxVersion: 7,
  flexibleFrom: 9,
  request: struct({
    transactionalId: f(nullableString, '3+', null),
    acks: f(int16, '0+'),
    timeoutMs: f(int32, '0+'),
    topicData: f(
      array(
        struct({
          name: f(string, '0+'),
          partitionData: f(array(struct({ index: f(int32, '0+'), records: f(records, '0+') })), '0+'),
        }),
      ),
      '0+',
    ),
  }),
  response: struct({
    responses: f(
      array(
        struct({
          name: f(string, '0+'),
          partitionResponses: f(
            array(
              struct({
                index: f(int32, '0+'),
                errorCode: f(int16, '0+'),
                baseOffset: f(int64, '0+'),
                logAppendTimeMs: f(int64, '2+', -1),
                logStartOffset: f(int64, '5+', -1),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
    throttleTimeMs: f(int32, '1+'),
  }),
});
