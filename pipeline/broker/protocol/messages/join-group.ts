import { defineApi } from '../api';
import { array, bytes, f, int16, int32, string, struct } from '../types';

export const JoinGroup = defineApi({
  key: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 6,
  request: struct({
    groupId: f(string, '0+'),
    sessionTimeoutMs: f(int32, '0+'),
    rebalanceTimeoutMs: f(int32, '1+', -1),
    memberId: f(string, '0+'),
    protocolType: f(string, '0+'),
    protocols: f(array(struct({ name: f(string, '0+'), metadata: f(bytes, '0+') })), '0+'),
  }),
  response: struct({
    throttleTimeMs: f(int32, '2+'),
    errorCode: f(int16, '0+'),
    generationId: f(int32, '0+', -1),
    protocolName: f(string, '0+'),
    leader: f(string, '0+'),
    memberId: f(string, '0+'),
    members: f(array(struct({ memberId: f(string, '0+'), metadata: f(bytes, '0+') })), '0+'),
  }),
});
