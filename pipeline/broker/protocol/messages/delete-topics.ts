import { defineApi } from '../api';
import { array, f, int16, int32, string, struct } from '../types';

export const DeleteTopics = defineApi({
  key: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 4,
  request: struct({
    topicNames: f(array(string), '0+'),
    timeoutMs: f(int32, '0+'),
  }),
  response: struct({
    throttleTimeMs: f(int32, '1+'),
    responses: f(array(struct({ name: f(string, '0+'), errorCode: f(int16, '0+') })), '0+'),
  }),
});
