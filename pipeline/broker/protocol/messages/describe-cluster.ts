import { defineApi } from '../api';
import { array, bool, f, int16, int32, int8, nullableString, string, struct } from '../types';

export const DescribeCluster = defineApi({
  key: 60,
  name: 'DescribeCluster',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 0,
  request: struct({
    includeClusterAuthorizedOperations: f(bool, '0+'),
    /** 1 = brokers, 2 = controllers. */
    endpointType: f(int8, '1+', 1),
  }),
  response: struct({
    throttleTimeMs: f(int32, '0+'),
    errorCode: f(int16, '0+'),
    errorMessage: f(nullableString, '0+', null, { nullableVersions: '0+' }),
    endpointType: f(int8, '1+', 1),
    clusterId: f(string, '0+'),
    controllerId: f(int32, '0+', -1),
    brokers: f(
      array(
        struct({
          brokerId: f(int32, '0+'),
          host: f(string, '0+'),
          port: f(int32, '0+'),
          rack: f(nullableString, '0+', null, { nullableVersions: '0+' }),
        }),
      ),
      '0+',
    ),
    clusterAuthorizedOperations: f(int32, '0+', -2147483648),
  }),
});
