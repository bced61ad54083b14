import { defineApi } from '../api';
import { array, bool, f, int16, int32, nullableString, string, struct } from '../types';

export const CreateTopics = defineApi({
  key: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 5,
  request: struct({
    topics: f(
      array(
        struct({
          name: f(string, '0+'),
          numPartitions: f(int32, '0+'),
          replicationFactor: f(int16, '0+'),
          assignments: f(
            array(struct({ partitionIndex: f(int32, '0+'), brokerIds: f(array(int32), '0+') })),
            '0+',
          ),
          configs: f(array(struct({ name: f(string, '0+'), value: f(nullableString, '0+') })), '0+'),
        }),
      ),
      '0+',
    ),
    timeoutMs: f(int32, '0+'),
    validateOnly: f(bool, '1+'),
  }),
  response: struct({
    throttleTimeMs: f(int32, '2+'),
    topics: f(
      array(
        struct({
          name: f(string, '0+'),
          errorCode: f(int16, '0+'),
          errorMessage: f(nullableString, '1+', null),
        }),
      ),
      '0+',
    ),
  }),
});
