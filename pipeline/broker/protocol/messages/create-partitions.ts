import { defineApi } from '../api';
import { array, bool, f, int16, int32, nullableArray, nullableString, string, struct } from '../types';

export const CreatePartitions = defineApi({
  key: 37,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 2,
  request: struct({
    topics: f(
      array(
        struct({
          name: f(string, '0+'),
          count: f(int32, '0+'),
          assignments: f(nullableArray(struct({ brokerIds: f(array(int32), '0+') })), '0+', null, {
            nullableVersions: '0+',
          }),
        }),
      ),
      '0+',
    ),
    timeoutMs: f(int32, '0+'),
    validateOnly: f(bool, '0+'),
  }),
  response: struct({
    throttleTimeMs: f(int32, '0+'),
    results: f(
      array(
        struct({
          name: f(string, '0+'),
          errorCode: f(int16, '0+'),
          errorMessage: f(nullableString, '0+', null, { nullableVersions: '0+' }),
        }),
      ),
      '0+',
    ),
  }),
});
