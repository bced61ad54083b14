import { realpathSync, statSync } from 'node:fs';
import type { Mapping, ReplayOptions } from '../../contract';
import { CheckpointStore } from './checkpoint';

/**
 * The checkpoint key of a replay: what makes two runs the same replay (the file by path, size and
 * modification time; topic, mapping, window, order and key). The replay and the Replay screen's
 * "Resume from row N" both use it, so they never disagree.
 */
export function resumeKey(
  o: Pick<ReplayOptions, 'path' | 'topic' | 'from' | 'to' | 'order' | 'key'>,
  mapping: Mapping,
  constantEventType: string | null,
): string {
  const stat = statSync(o.path);
  return CheckpointStore.keyOf({
    path: realpathSync(o.path),
    size: stat.size,
    mtime: stat.mtimeMs,
    topic: o.topic,
    mapping,
    constantEventType,
    from: o.from,
    to: o.to,
    order: o.order,
    key: o.key,
  });
}
