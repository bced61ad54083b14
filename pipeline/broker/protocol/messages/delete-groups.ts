import { defineApi } from '../api';
import { array, f, int16, int32, string, struct } from '../types';

export const DeleteGroups = defineApi({
  key: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 2,
  request: struct({
    groupsNames: f(array(string), '0+'),
  }),
  response: struct({
    throttleTimeMs: f(int32, '0+'),
    results: f(array(struct({ groupId: f(string, '0+'), errorCode: f(int16, '0+') })), '0+'),
  }),
});
