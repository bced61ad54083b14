import { defineApi } from '../api';
import { array, f, int16, int32, string, struct } from '../types';

export const ApiVersions = defineApi({
  key: 18,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 3,
  request: struct({
    clientSoftwareName: f(string, '3+'),
    clientSoftwareVersion: f(string, '3+'),
  }),
  response: struct({
    errorCode: f(int16, '0+'),
    apiKeys: f(
      array(struct({ apiKey: f(int16, '0+'), minVersion: f(int16, '0+'), maxVersion: f(int16, '0+') })),
      '0+',
    ),
    throttleTimeMs: f(int32, '1+'),
  }),
});
