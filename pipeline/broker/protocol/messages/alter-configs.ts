import { defineApi } from '../api';
import { array, bool, f, int16, int32, int8, nullableString, string, struct } from '../types';

/** The response of AlterConfigs and IncrementalAlterConfigs: one result per resource. */
export const alterConfigsResponse = struct({
  throttleTimeMs: f(int32, '0+'),
  responses: f(
    array(
      struct({
        errorCode: f(int16, '0+'),
        errorMessage: f(nullableString, '0+', null, { nullableVersions: '0+' }),
        resourceType: f(int8, '0+'),
        resourceName: f(string, '0+'),
      }),
    ),
    '0+',
  ),
});

/** The legacy, non-incremental call: the configs given replace every override of the resource. */
export const AlterConfigs = defineApi({
  key: 33,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 2,
  request: struct({
    resources: f(
      array(
        struct({
          resourceType: f(int8, '0+'),
          resourceName: f(string, '0+'),
          configs: f(
            array(
              struct({
                name: f(string, '0+'),
                value: f(nullableString, '0+', null, { nullableVersions: '0+' }),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
    validateOnly: f(bool, '0+'),
  }),
  response: alterConfigsResponse,
});
