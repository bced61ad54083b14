import { defineApi } from '../api';
import { f, int16, int32, string, struct } from '../types';

export const Heartbeat = defineApi({
  key: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 4,
  request: struct({
    groupId: f(string, '0+'),
    generationId: f(int32, '0+'),
    memberId: f(string, '0+'),
  }),
  response: struct({
    throttleTimeMs: f(int32, '1+'),
    errorCode: f(int16, '0+'),
  }),
});
