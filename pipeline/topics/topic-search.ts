import type { MessagePage, MessageRange, TopicSearchRequest, TopicSearchResult } from '../contract';
import { compileQuery } from './message-query';

/** How the search reads a partition: the broker's own message read (what the message browser shows). */
export interface PartitionReader {
  partitions(topic: string): Promise<{ partition: number; logStartOffset: number; logEndOffset: number }[]>;
  messages(range: MessageRange): Promise<MessagePage>;
}

const PAGE = 1000;

/**
 * Every partition of a topic, read page by page from the start (or from the window's start time) until the
 * window ends, the limit of matches is reached or maxScan messages were read.
 */
export async function searchTopic(
  reader: PartitionReader,
  r: TopicSearchRequest,
): Promise<TopicSearchResult> {
  const query = compileQuery(r.query);
  const matches: TopicSearchResult['matches'] = [];
  let scanned = 0;
  let truncated = false;
  partitions: for (const p of await reader.partitions(r.topic)) {
    let next: Pick<MessageRange, 'offset' | 'timestamp'> =
      r.fromTime !== undefined ? { timestamp: r.fromTime } : { offset: p.logStartOffset };
    while (true) {
      if (scanned >= r.maxScan) {
        truncated = true;
        break partitions;
      }
      const page = await reader.messages({
        topic: r.topic,
        partition: p.partition,
        ...next,
        limit: Math.min(PAGE, r.maxScan - scanned),
      });
      if (page.messages.length === 0) break;
      for (const m of page.messages) {
        if (r.toTime !== undefined && Date.parse(m.timestamp) >= r.toTime) continue partitions;
        scanned++;
        if (!query.matches(m)) continue;
        matches.push({ ...m, partition: p.partition });
        if (matches.length >= r.limit) {
          truncated = true;
          break partitions;
        }
      }
      const last = page.messages.at(-1)?.offset ?? 0;
      if (last + 1 >= page.logEndOffset) break;
      next = { offset: last + 1 };
    }
  }
  return { topic: r.topic, matches, scanned, truncated, understood: query.understood };
}
