import { defineApi } from '../api';
import { array, f, int16, int32, string, struct } from '../types';

export const ListGroups = defineApi({
  key: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 3,
  request: struct({}),
  response: struct({
    throttleTimeMs: f(int32, '1+'),
    errorCode: f(int16, '0+'),
    groups: f(array(struct({ groupId: f(string, '0+'), protocolType: f(string, '0+') })), '0+'),
  }),
});
