import { defineApi } from '../api';
import { array, bytes, f, int16, int32, string, struct } from '../types';

export const SyncGroup = defineApi({
  key: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 4,
  request: struct({
    groupId: f(string, '0+'),
    generationId: f(int32, '0+'),
    memberId: f(string, '0+'),
    assignments: f(array(struct({ memberId: f(string, '0+'), assignment: f(bytes, '0+') })), '0+'),
  }),
  response: struct({
    throttleTimeMs: f(int32, '1+'),
    errorCode: f(int16, '0+'),
    assignment: f(bytes, '0+'),
  }),
});
