import type { ApiVersions } from '../protocol/messages/api-versions';
import { SaslAuthenticate } from '../protocol/messages/sasl-authenticate';
import { SaslHandshake } from '../protocol/messages/sasl-handshake';
import { APIS } from '../protocol/registry';
import type { Handler } from './context';

const SASL_KEYS: ReadonlySet<number> = new Set([SaslHandshake.key, SaslAuthenticate.key]);

const allApiKeys = APIS.map((api) => ({
  apiKey: api.key,
  minVersion: api.minVersion,
  maxVersion: api.maxVersion,
})).sort((a, b) => a.apiKey - b.apiKey);

/** What a broker without SASL advertises: clients then never try to authenticate. */
export const advertisedApiKeys = allApiKeys.filter((k) => !SASL_KEYS.has(k.apiKey));

export const handleApiVersions: Handler<typeof ApiVersions> = (_req, _ctx, core) => ({
  errorCode: 0,
  apiKeys: core.saslEnabled ? allApiKeys : advertisedApiKeys,
  throttleTimeMs: 0,
  // No KRaft features to report: the tagged fields stay at their defaults and off the wire.
  supportedFeatures: [],
  finalizedFeaturesEpoch: -1,
  finalizedFeatures: [],
  zkMigrationReady: false,
});
