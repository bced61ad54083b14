import { defineApi } from '../api';
import { array, f, int16, int32, int64, nullableString, string, struct } from '../types';

export const OffsetCommit = defineApi({
  key: 8,
  name: 'OffsetCommit',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 8,
  request: struct({
    groupId: f(string, '0+'),
    generationId: f(int32, '1+', -1),
    memberId: f(string, '1+', ''),
    retentionTimeMs: f(int64, '2-4', -1),
    topics: f(
      array(
        struct({
          name: f(string, '0+'),
          partitions: f(
            array(
              struct({
                partitionIndex: f(int32, '0+'),
                committedOffset: f(int64, '0+'),
                commitTimestamp: f(int64, '1', -1),
                committedMetadata: f(nullableString, '0+', null),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
  }),
  response: struct({
    throttleTimeMs: f(int32, '3+'),
    topics: f(
      array(
        struct({
          name: f(string, '0+'),
          partitions: f(array(struct({ partitionIndex: f(int32, '0+'), errorCode: f(int16, '0+') })), '0+'),
        }),
      ),
      '0+',
    ),
  }),
});
