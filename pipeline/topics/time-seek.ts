import type { z } from 'zod';
import type { TimeSeekRequest, TimeSeekResult } from '../contract';
import type { PartitionReader } from './topic-search';

type Request = z.infer<typeof TimeSeekRequest>;

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The value's event_time in ms, or null when the message has none (not JSON, no field, not a time). */
export function eventTimeOf(value: string | null): number | null {
  if (value === null) return null;
  try {
    const parsed = JSON.parse(value) as { event_time?: unknown };
    if (typeof parsed.event_time !== 'string') return null;
    // REES46 text ("2019-10-01 00:00:00 UTC") as well as ISO-8601.
    const text = parsed.event_time.replace(' UTC', 'Z').replace(' ', 'T');
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  } catch {
    return null;
  }
}

/**
 * The first offset at or after a time. Broker time uses the broker's time index (the record timestamp,
 * which for a replay is when it was sent). Event time reads the value's event_time: a binary search over
 * the offsets, which holds because a replay writes each partition in event-time order (file order of a
 * time-ordered file, or the event-time order option).
 */
export async function seekTime(reader: PartitionReader, r: Request): Promise<TimeSeekResult> {
  const info = (await reader.partitions(r.topic)).find((p) => p.partition === r.partition);
  if (!info) throw new Error(`Topic ${r.topic} has no partition ${r.partition}.`);
  if (r.by === 'broker') {
    const page = await reader.messages({
      topic: r.topic,
      partition: r.partition,
      timestamp: r.time,
      limit: 1,
    });
    const first = page.messages[0];
    if (!first)
      return {
        offset: info.logEndOffset,
        by: 'broker',
        pastEnd: true,
        note: `By broker time (the record timestamp): no message at or after ${iso(r.time)}.`,
      };
    return {
      offset: first.offset,
      by: 'broker',
      pastEnd: false,
      note: `By broker time (the record timestamp): offset ${first.offset} was written at ${first.timestamp}.`,
    };
  }
  const at = async (offset: number) => {
    const page = await reader.messages({ topic: r.topic, partition: r.partition, offset, limit: 1 });
    const m = page.messages[0];
    if (!m) return null;
    const time = eventTimeOf(m.encoding === 'utf8' ? m.value : null);
    if (time === null)
      throw new Error(
        `The message at offset ${m.offset} has no event_time in its value: search by broker time instead.`,
      );
    return { offset: m.offset, time };
  };
  // Lowest offset whose event time is at or after the wanted time.
  let lo = info.logStartOffset;
  let hi = info.logEndOffset;
  let found: { offset: number; time: number } | null = null;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const m = await at(mid);
    if (!m) {
      hi = mid;
      continue;
    }
    if (m.time >= r.time) {
      found = m;
      hi = mid;
    } else lo = m.offset + 1;
  }
  if (!found)
    return {
      offset: info.logEndOffset,
      by: 'event',
      pastEnd: true,
      note: `By event time (the value’s event_time): every message is earlier than ${iso(r.time)}.`,
    };
  return {
    offset: found.offset,
    by: 'event',
    pastEnd: false,
    note: `By event time (the value’s event_time): offset ${found.offset} has event_time ${iso(found.time)}.`,
  };
}
