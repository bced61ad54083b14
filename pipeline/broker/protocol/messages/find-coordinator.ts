import { defineApi } from '../api';
import { f, int16, int32, int8, nullableString, string, struct } from '../types';

export const FindCoordinator = defineApi({
  key: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 3,
  request: struct({
    key: f(string, '0+'),
    keyType: f(int8, '1+'),
  }),
  response: struct({
    throttleTimeMs: f(int32, '1+'),
    errorCode: f(int16, '0+'),
    errorMessage: f(nullableString, '1+', null),
    nodeId: f(int32, '0+'),
    host: f(string, '0+'),
    port: f(int32, '0+'),
  }),
});
