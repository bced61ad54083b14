import { defineApi } from '../api';
import { array, f, int16, int32, int64, int8, string, struct } from '../types';

export const ListOffsets = defineApi({
  key: 2,
  name: 'ListOffsets',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 6,
  request: struct({
    replicaId: f(int32, '0+'),
    isolationLevel: f(int8, '2+'),
    topics: f(
      array(
        struct({
          name: f(string, '0+'),
          partitions: f(
            array(
              struct({
                partitionIndex: f(int32, '0+'),
                currentLeaderEpoch: f(int32, '4+', -1),
                timestamp: f(int64, '0+'),
                maxNumOffsets: f(int32, '0', 1),
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
    throttleTimeMs: f(int32, '2+'),
    topics: f(
      array(
        struct({
          name: f(string, '0+'),
          partitions: f(
            array(
              struct({
                partitionIndex: f(int32, '0+'),
                errorCode: f(int16, '0+'),
                oldStyleOffsets: f(array(int64), '0'),
                timestamp: f(int64, '1+', -1),
                offset: f(int64, '1+', -1),
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
