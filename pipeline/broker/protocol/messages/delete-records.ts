import { defineApi } from '../api';
import { array, f, int16, int32, int64, string, struct } from '../types';

export const DeleteRecords = defineApi({
  key: 21,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 2,
  request: struct({
    topics: f(
      array(
        struct({
          name: f(string, '0+'),
          partitions: f(array(struct({ partitionIndex: f(int32, '0+'), offset: f(int64, '0+') })), '0+'),
        }),
      ),
      '0+',
    ),
    timeoutMs: f(int32, '0+'),
  }),
  response: struct({
    throttleTimeMs: f(int32, '0+'),
    topics: f(
      array(
        struct({
          name: f(string, '0+'),
          partitions: f(
            array(
              struct({
                partitionIndex: f(int32, '0+'),
                lowWatermark: f(int64, '0+'),
                errorCode: f(int16, '0+'),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
  }),
});
