import { defineApi } from '../api';
import { array, bool, f, int8, nullableString, string, struct } from '../types';
import { alterConfigsResponse } from './alter-configs';

export const IncrementalAlterConfigs = defineApi({
  key: 44,
  name: 'IncrementalAlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 1,
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
                /** 0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT. */
                configOperation: f(int8, '0+'),
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
