import { defineApi } from '../api';
import { array, bool, f, int16, int32, int8, nullableArray, nullableString, string, struct } from '../types';

export const DescribeConfigs = defineApi({
  key: 32,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 4,
  request: struct({
    resources: f(
      array(
        struct({
          resourceType: f(int8, '0+'),
          resourceName: f(string, '0+'),
          configurationKeys: f(nullableArray(string), '0+', null),
        }),
      ),
      '0+',
    ),
    includeSynonyms: f(bool, '1+'),
  }),
  response: struct({
    throttleTimeMs: f(int32, '0+'),
    results: f(
      array(
        struct({
          errorCode: f(int16, '0+'),
          errorMessage: f(nullableString, '0+', null),
          resourceType: f(int8, '0+'),
          resourceName: f(string, '0+'),
          configs: f(
            array(
              struct({
                name: f(string, '0+'),
                value: f(nullableString, '0+', null),
                readOnly: f(bool, '0+'),
                isDefault: f(bool, '0'),
                configSource: f(int8, '1+', -1),
                isSensitive: f(bool, '0+'),
                synonyms: f(
                  array(
                    struct({
                      name: f(string, '1+'),
                      value: f(nullableString, '1+', null),
                      source: f(int8, '1+'),
                    }),
                  ),
                  '1+',
                ),
              }),
            ),
            '0+',
          ),
        }),
      ),
      '0+',
    ),
  }),
});
