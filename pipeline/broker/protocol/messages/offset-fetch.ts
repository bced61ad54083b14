import { defineApi } from '../api';
import { array, f, int16, int32, int64, nullableArray, nullableString, string, struct } from '../types';

export const OffsetFetch = defineApi({
  key: 9,
  name: 'OffsetFetch',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 6,
  request: struct({
    groupId: f(string, '0+'),
    // Null (v2+) asks for every partition the group has committed.
    topics: f(
      nullableArray(struct({ name: f(string, '0+'), partitionIndexes: f(array(int32), '0+') })),
      '0+',
      null,
    ),
  }),
  response: struct({
    throttleTimeMs: f(int32, '3+'),
    topics: f(
      array(
        struct({
          name: f(string, '0+'),
          partitions: f(
            array(
              struct({
                partitionIndex: f(int32, '0+'),
                committedOffset: f(int64, '0+'),
                metadata: f(nullableString, '0+', null),
                errorCode: f(int16, '0+'),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
    errorCode: f(int16, '2+'),
  }),
});
