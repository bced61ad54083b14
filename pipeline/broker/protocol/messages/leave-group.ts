import { defineApi } from '../api';
import { f, int16, int32, string, struct } from '../types';

export const LeaveGroup = defineApi({
  key: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 4,
  request: struct({
    groupId: f(string, '0+'),
    memberId: f(string, '0+'),
  }),
  response: struct({
    throttleTimeMs: f(int32, '1+'),
    errorCode: f(int16, '0+'),
  }),
});
