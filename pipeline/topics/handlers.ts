import { ApiError } from '../contract/envelope';
import type { topicToolCalls } from '../contract/topic-tools';
import { kafkaClient } from '../kafka';
import type { HandlerMap, WorkbenchContext } from '../workbench-context';
import { GroupLagHistory } from './group-lag';
import { seekTime } from './time-seek';
import { searchTopic, type PartitionReader } from './topic-search';

/** Samples of group lag while someone watches (a Topics screen asks every few seconds). */
const SAMPLE_EVERY_MS = 5000;
const WATCHED_FOR_MS = 5 * 60_000;

/** The Topics screen's whole-topic tools over the embedded broker: search, time seek, produce, lag history. */
export function topicToolHandlers(ctx: WorkbenchContext): HandlerMap<keyof typeof topicToolCalls> {
  const reader: PartitionReader = {
    partitions: async (topic) => {
      const overview = await ctx.broker.overview();
      const info = overview.topics.find((t) => t.name === topic);
      if (!info) throw new ApiError({ code: 'NOT_FOUND', message: `There is no topic ${topic}.` });
      return info.partitions;
    },
    messages: (range) => ctx.broker.messages(range),
  };
  const lag = new GroupLagHistory();
  let watchedAt = 0;
  const sample = async () => {
    if (ctx.broker.current().state !== 'running') return;
    lag.record((await ctx.broker.overview()).groups);
  };
  const timer = setInterval(() => {
    if (Date.now() - watchedAt < WATCHED_FOR_MS) void sample().catch(() => undefined);
  }, SAMPLE_EVERY_MS);
  timer.unref();
  ctx.onClose(() => clearInterval(timer));
  const failed = (e: unknown) =>
    e instanceof ApiError
      ? e
      : new ApiError({ code: 'FAILED', message: e instanceof Error ? e.message : String(e) });

  return {
    'topics.search': (request) =>
      searchTopic(reader, request).catch((e: unknown) => Promise.reject(failed(e))),
    'topics.seekTime': (request) =>
      seekTime(reader, request).catch((e: unknown) => Promise.reject(failed(e))),
    'topics.produce': async ({ topic, partition, key, value, headers }) => {
      if (ctx.broker.current().state !== 'running')
        throw new ApiError({ code: 'CONFLICT', message: 'Start the broker first: it is not running.' });
      await reader.partitions(topic); // a clear "no such topic" instead of auto-creating it
      const producer = kafkaClient(await ctx.broker.ensureRunning(), 'clickpulse-topics').producer({
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      try {
        const [sent] = await producer.send({
          topic,
          messages: [
            {
              key,
              value,
              ...(partition !== undefined ? { partition } : {}),
              headers: Object.fromEntries(headers.map((h) => [h.key, h.value])),
            },
          ],
        });
        if (!sent)
          throw new ApiError({ code: 'FAILED', message: 'The broker did not acknowledge the message.' });
        return { topic, partition: sent.partition, offset: Number(sent.baseOffset) };
      } catch (e) {
        throw failed(e);
      } finally {
        await producer.disconnect();
      }
    },
    'topics.groupLag': async () => {
      watchedAt = Date.now();
      await sample().catch(() => undefined);
      return lag.all();
    },
  };
}
