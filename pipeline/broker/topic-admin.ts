import type {
  AddPartitionsRequest,
  CreateTopicRequest,
  DeleteRecordsRequest,
  DeleteRecordsResult,
  TopicConfigRequest,
} from '../contract/broker';
import { ConfigOperation } from './core/config-ops';
import { ErrorCode } from './error-codes';
import { handleIncrementalAlterConfigs } from './requests/alter-configs';
import { handleCreateTopics, handleDeleteTopics } from './requests/admin';
import type { BrokerCore, RequestContext } from './requests/context';
import { handleCreatePartitions } from './requests/create-partitions';
import { handleDeleteGroups } from './requests/delete-groups';
import { handleDeleteRecords } from './requests/delete-records';

/** What the Workbench asks of the broker thread's admin, one call at a time. */
export type AdminCall =
  | { kind: 'createTopic'; request: CreateTopicRequest }
  | { kind: 'deleteTopic'; name: string }
  | { kind: 'addPartitions'; request: AddPartitionsRequest }
  | { kind: 'deleteRecords'; request: DeleteRecordsRequest }
  | { kind: 'deleteGroup'; groupId: string }
  | { kind: 'setTopicConfig'; request: TopicConfigRequest };

/** The kinds of refusal the app tells apart; the name survives the trip from the worker thread. */
export type AdminErrorName = 'NotFound' | 'Conflict' | 'Invalid';

const KIND_OF: Record<number, AdminErrorName> = {
  [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]: 'NotFound',
  [ErrorCode.GROUP_ID_NOT_FOUND]: 'NotFound',
  [ErrorCode.TOPIC_ALREADY_EXISTS]: 'Conflict',
  [ErrorCode.NON_EMPTY_GROUP]: 'Conflict',
};

function refused(errorCode: number, message: string): Error {
  return Object.assign(new Error(message), { name: KIND_OF[errorCode] ?? 'Invalid' });
}

const TOPIC_RESOURCE = 2;

/**
 * The Workbench's topic and group administration. Each call goes through the very Kafka request handler a
 * client's CreateTopics, DeleteRecords… reaches, so the app and kafka-topics.sh cannot disagree; refusals
 * come back as errors carrying the broker's reason.
 */
export class TopicAdmin {
  private readonly ctx: RequestContext = {
    header: { apiKey: -1, apiVersion: 0, correlationId: 0, clientId: 'clickpulse-workbench' },
    version: 0,
    clientHost: '/in-process',
    signal: new AbortController().signal,
  };

  constructor(private readonly core: BrokerCore) {}

  /** Runs one call; the topic it changed (if any) is returned so the app can show it at once. */
  async run(call: AdminCall): Promise<{ topic?: string; result?: unknown }> {
    switch (call.kind) {
      case 'createTopic':
        await this.createTopic(call.request);
        return { topic: call.request.name };
      case 'deleteTopic':
        await this.deleteTopic(call.name);
        return { result: { name: call.name } };
      case 'addPartitions':
        await this.addPartitions(call.request);
        return { topic: call.request.topic };
      case 'deleteRecords':
        return { result: await this.deleteRecords(call.request) };
      case 'deleteGroup':
        await this.deleteGroup(call.groupId);
        return { result: { groupId: call.groupId } };
      case 'setTopicConfig':
        await this.setTopicConfig(call.request);
        return { topic: call.request.topic };
    }
  }

  private async createTopic(r: CreateTopicRequest): Promise<void> {
    const configs = [
      ...(r.retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(r.retentionMs) }]),
      ...(r.retentionBytes === undefined
        ? []
        : [{ name: 'retention.bytes', value: String(r.retentionBytes) }]),
    ];
    const res = await handleCreateTopics(
      {
        topics: [
          { name: r.name, numPartitions: r.partitions, replicationFactor: -1, assignments: [], configs },
        ],
        timeoutMs: 0,
        validateOnly: false,
      },
      this.ctx,
      this.core,
    );
    const t = res?.topics[0];
    if (t && t.errorCode !== ErrorCode.NONE)
      throw refused(t.errorCode, t.errorMessage ?? `Kafka error ${t.errorCode}`);
  }

  private async deleteTopic(name: string): Promise<void> {
    const res = await handleDeleteTopics(
      { topics: [], topicNames: [name], timeoutMs: 0 },
      this.ctx,
      this.core,
    );
    const t = res?.responses[0];
    if (t && t.errorCode !== ErrorCode.NONE) throw refused(t.errorCode, `There is no topic ${name}.`);
  }

  private async addPartitions(r: AddPartitionsRequest): Promise<void> {
    const res = await handleCreatePartitions(
      { topics: [{ name: r.topic, count: r.count, assignments: null }], timeoutMs: 0, validateOnly: false },
      this.ctx,
      this.core,
    );
    const t = res?.results[0];
    if (t && t.errorCode !== ErrorCode.NONE)
      throw refused(t.errorCode, t.errorMessage ?? `Kafka error ${t.errorCode}`);
  }

  private async deleteRecords(r: DeleteRecordsRequest): Promise<DeleteRecordsResult> {
    const res = await handleDeleteRecords(
      {
        topics: [{ name: r.topic, partitions: [{ partitionIndex: r.partition, offset: r.beforeOffset }] }],
        timeoutMs: 0,
      },
      this.ctx,
      this.core,
    );
    const p = res?.topics[0]?.partitions[0];
    if (!p || p.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
      throw refused(
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        `Topic ${r.topic} has no partition ${r.partition}.`,
      );
    }
    if (p.errorCode !== ErrorCode.NONE) {
      const log = this.core.topics.log(r.topic, r.partition);
      throw refused(
        p.errorCode,
        `Offset ${r.beforeOffset} is past the end of ${r.topic}-${r.partition} (its messages are ${log?.logStartOffset ?? 0} to ${(log?.logEndOffset ?? 1) - 1}).`,
      );
    }
    return { topic: r.topic, partition: r.partition, logStartOffset: p.lowWatermark };
  }

  private async deleteGroup(groupId: string): Promise<void> {
    const res = await handleDeleteGroups({ groupsNames: [groupId] }, this.ctx, this.core);
    const code = res?.results[0]?.errorCode ?? ErrorCode.NONE;
    if (code === ErrorCode.NONE) return;
    const members = this.core.groups.snapshot().find((g) => g.groupId === groupId)?.members.length ?? 0;
    const message =
      code === ErrorCode.NON_EMPTY_GROUP
        ? `Group ${groupId} has ${members} active member(s): stop its consumers before deleting it.`
        : code === ErrorCode.GROUP_ID_NOT_FOUND
          ? `There is no group ${groupId}.`
          : `The group coordinator refused (Kafka error ${code}).`;
    throw refused(code, message);
  }

  private async setTopicConfig(r: TopicConfigRequest): Promise<void> {
    const configs = r.configs.map((c) => ({
      name: c.name,
      configOperation: c.value === null ? ConfigOperation.DELETE : ConfigOperation.SET,
      value: c.value,
    }));
    const res = await handleIncrementalAlterConfigs(
      { resources: [{ resourceType: TOPIC_RESOURCE, resourceName: r.topic, configs }], validateOnly: false },
      this.ctx,
      this.core,
    );
    const t = res?.responses[0];
    if (t && t.errorCode !== ErrorCode.NONE)
      throw refused(t.errorCode, t.errorMessage ?? `Kafka error ${t.errorCode}`);
  }
}
