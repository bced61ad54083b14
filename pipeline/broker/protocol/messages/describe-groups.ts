import { defineApi } from '../api';
import { array, bytes, f, int16, int32, string, struct } from '../types';

export const DescribeGroups = defineApi({
  key: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 5,
  request: struct({
    groups: f(array(string), '0+'),
  }),
  response: struct({
    throttleTimeMs: f(int32, '1+'),
    groups: f(
      array(
        struct({
          errorCode: f(int16, '0+'),
          groupId: f(string, '0+'),
          groupState: f(string, '0+'),
          protocolType: f(string, '0+'),
          protocolData: f(string, '0+'),
          members: f(
            array(
              struct({
                memberId: f(string, '0+'),
                clientId: f(string, '0+'),
                clientHost: f(string, '0+'),
                memberMetadata: f(bytes, '0+'),
                memberAssignment: f(bytes, '0+'),
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
