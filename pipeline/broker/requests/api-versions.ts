import type { ApiVersions } from '../protocol/messages/api-versions';
import { APIS } from '../protocol/registry';
import type { Handler } from './context';

export const advertisedApiKeys = APIS.map((api) => ({
  apiKey: api.key,
  minVersion: api.minVersion,
  maxVersion: api.maxVersion,
})).sort((a, b) => a.apiKey - b.apiKey);

export const handleApiVersions: Handler<typeof ApiVersions> = () => ({
  errorCode: 0,
  apiKeys: advertisedApiKeys,
  throttleTimeMs: 0,
  // No KRaft features to report: the tagged fields stay at their defaults and off the wire.
  supportedFeatures: [],
  finalizedFeaturesEpoch: -1,
  finalizedFeatures: [],
  zkMigrationReady: false,
});
