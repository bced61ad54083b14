import { defineApi } from '../api';
import { array, f, int16, int32, int64, int8, records, string, struct } from '../types';

export const Fetch = defineApi({
  key: 1,
  name: 'Fetch',
  minVersion: 0,
  maxVersion: 11,
  flexibleFrom: 12,
  request: struct({
    replicaId: f(int32, '0+'),
    maxWaitMs: f(int32, '0+'),
    minBytes: f(int32, '0+'),
    maxBytes: f(int32, '3+', 0x7fffffff),
    isolationLevel: f(int8, '4+'),
    sessionId: f(int32, '7+'),
    sessionEpoch: f(int32, '7+', -1),
    topics: f(
      array(
        struct({
          topic: f(string, '0+'),
          partitions: f(
            array(
              struct({
                partition: f(int32, '0+'),
                currentLeaderEpoch: f(int32, '9+', -1),
                fetchOffset: f(int64, '0+'),
                logStartOffset: f(int64, '5+', -1),
                partitionMaxBytes: f(int32, '0+'),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
    forgottenTopicsData: f(
      array(struct({ topic: f(string, '7+'), partitions: f(array(int32), '7+') })),
      '7+',
    ),
    rackId: f(string, '11+'),
  }),
  response: struct({
    throttleTimeMs: f(int32, '1+'),
    errorCode: f(int16, '7+'),
    sessionId: f(int32, '7+'),
    responses: f(
      array(
        struct({
          topic: f(string, '0+'),
          partitions: f(
            array(
              struct({
                partitionIndex: f(int32, '0+'),
                errorCode: f(int16, '0+'),
                highWatermark: f(int64, '0+'),
                lastStableOffset: f(int64, '4+', -1),
                logStartOffset: f(int64, '5+', -1),
                abortedTransactions: f(
                  array(struct({ producerId: f(int64, '4+'), firstOffset: f(int64, '4+') })),
                  '4+',
                ),
                preferredReadReplica: f(int32, '11+', -1),
                records: f(records, '0+'),
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
