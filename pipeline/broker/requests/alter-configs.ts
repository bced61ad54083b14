import { applyConfigChanges, replaceConfigs } from '../core/config-ops';
import type { TopicSettings } from '../core/topic-config';
import { ErrorCode } from '../error-codes';
import type { AlterConfigs } from '../protocol/messages/alter-configs';
import type { IncrementalAlterConfigs } from '../protocol/messages/incremental-alter-configs';
import type { BrokerCore, Handler } from './context';

const TOPIC_RESOURCE = 2;
const BROKER_RESOURCE = 4;

type Outcome = { ok: true; overrides: Partial<TopicSettings> } | { ok: false; message: string };

/** One resource's answer; a valid topic change is saved and applied to its logs unless validateOnly. */
function alterResource(
  core: BrokerCore,
  resource: { resourceType: number; resourceName: string },
  validateOnly: boolean,
  change: (current: Partial<TopicSettings>) => Outcome,
) {
  const answer = (errorCode: number, errorMessage: string | null) => ({
    errorCode,
    errorMessage,
    ...resource,
  });
  if (resource.resourceType === BROKER_RESOURCE) {
    return answer(
      ErrorCode.INVALID_REQUEST,
      'Broker configs of the embedded broker are set when it starts and cannot be changed at run time; change topic configs instead.',
    );
  }
  if (resource.resourceType !== TOPIC_RESOURCE) {
    return answer(
      ErrorCode.INVALID_REQUEST,
      `Unsupported resource type ${resource.resourceType}: only topics (2) can be altered.`,
    );
  }
  const topic = core.topics.topic(resource.resourceName);
  if (!topic)
    return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${resource.resourceName} does not exist`);
  const outcome = change(topic.overrides);
  if (!outcome.ok) return answer(ErrorCode.INVALID_CONFIG, outcome.message);
  if (!validateOnly) core.topics.setOverrides(resource.resourceName, outcome.overrides);
  return answer(ErrorCode.NONE, null);
}

export const handleAlterConfigs: Handler<typeof AlterConfigs> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  responses: req.resources.map(({ resourceType, resourceName, configs }) =>
    alterResource(core, { resourceType, resourceName }, req.validateOnly, () => replaceConfigs(configs)),
  ),
});

export const handleIncrementalAlterConfigs: Handler<typeof IncrementalAlterConfigs> = (req, _ctx, core) => ({
  throttleTimeMs: 0,
  responses: req.resources.map(({ resourceType, resourceName, configs }) =>
    alterResource(core, { resourceType, resourceName }, req.validateOnly, (current) =>
      applyConfigChanges(
        current,
        configs.map((c) => ({ name: c.name, operation: c.configOperation, value: c.value })),
      ),
    ),
  ),
});
