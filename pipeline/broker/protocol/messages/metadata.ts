import { defineApi } from '../api';
import { array, bool, f, int16, int32, nullableArray, nullableString, string, struct } from '../types';

const topicName = struct({ name: f(string, '0+') });

export const Metadata = defineApi({
  key: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 9,
  request: struct({
    // v0: an empty list means every topic; from v1 null means every topic and [] means none.
    topics: f(nullableArray(topicName), '0+', null),
    allowAutoTopicCreation: f(bool, '4+', true),
  }),
  response: struct({
    throttleTimeMs: f(int32, '3+'),
    brokers: f(
      array(
        struct({
          nodeId: f(int32, '0+'),
          host: f(string, '0+'),
          port: f(int32, '0+'),
          rack: f(nullableString, '1+', null),
        }),
      ),
      '0+',
    ),
    clusterId: f(nullableString, '2+', null),
    controllerId: f(int32, '1+', -1),
    topics: f(
      array(
        struct({
          errorCode: f(int16, '0+'),
          name: f(string, '0+'),
          isInternal: f(bool, '1+'),
          partitions: f(
            array(
              struct({
                errorCode: f(int16, '0+'),
                partitionIndex: f(int32, '0+'),
                leaderId: f(int32, '0+'),
                replicaNodes: f(array(int32), '0+'),
                isrNodes: f(array(int32), '0+'),
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
