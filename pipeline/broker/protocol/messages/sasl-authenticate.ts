import { defineApi } from '../api';
import { bytes, f, int16, int64, nullableString, struct } from '../types';

/** apache/kafka SaslAuthenticateRequest/Response.json (v2 is the first flexible version). */
export const SaslAuthenticate = defineApi({
  key: 36,
  name: 'SaslAuthenticate',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 2,
  request: struct({
    authBytes: f(bytes, '0+'),
  }),
  response: struct({
    errorCode: f(int16, '0+'),
    errorMessage: f(nullableString, '0+', null, { nullableVersions: '0+' }),
    authBytes: f(bytes, '0+'),
    sessionLifetimeMs: f(int64, '1+'),
  }),
});
