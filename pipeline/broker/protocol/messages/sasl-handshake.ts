import { defineApi } from '../api';
import { array, f, int16, string, struct } from '../types';

/** apache/kafka SaslHandshakeRequest/Response.json: v0 is followed by raw tokens, v1 by SaslAuthenticate. */
export const SaslHandshake = defineApi({
  key: 17,
  name: 'SaslHandshake',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: Infinity,
  request: struct({
    mechanism: f(string, '0+'),
  }),
  response: struct({
    errorCode: f(int16, '0+'),
    mechanisms: f(array(string), '0+'),
  }),
});
