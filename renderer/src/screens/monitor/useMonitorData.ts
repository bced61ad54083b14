import { useEffect, useRef, useState } from 'react';
import type { ReplayProgress, StreamStatus } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { appendPoint, isActive, type RatePoint } from './monitor-logic';

export interface MonitorData {
  /** undefined while loading; null when no replay ran since the Workbench started. */
  progress: ReplayProgress | null | undefined;
  stream: StreamStatus | undefined;
  /** Why stream.status cannot answer (e.g. the lake consumer is not available in this build). */
  streamError: string | undefined;
  points: RatePoint[];
}

/** At most this many renders per second, however fast progress events arrive during a max-speed replay. */
const RENDERS_PER_SECOND = 4;
/** One chart point a second; two minutes of history. */
const POINT_EVERY_MS = 1000;
const MAX_POINTS = 120;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The replay's progress and the lake consumer's status, from their events. Events only update refs; a
 * timer copies them into React state a few times a second, so rendering never falls behind the producer.
 */
export function useMonitorData(): MonitorData & {
  apply: (p: ReplayProgress) => void;
  refreshStream: () => void;
} {
  const initial: MonitorData = { progress: undefined, stream: undefined, streamError: undefined, points: [] };
  const latest = useRef<MonitorData>(initial);
  const dirty = useRef(true);
  const [data, setData] = useState<MonitorData>(initial);
  const [streamVersion, setStreamVersion] = useState(0);

  useEffect(() => {
    let live = true;
    const update = (patch: Partial<MonitorData>) => {
      latest.current = { ...latest.current, ...patch };
      dirty.current = true;
    };
    api()
      .call('replay.status', {})
      .then((p) => {
        // An event that arrived first is newer than this answer.
        if (live && latest.current.progress === undefined) update({ progress: p });
      })
      .catch(() => {
        if (live && latest.current.progress === undefined) update({ progress: null });
      });
    const offProgress = api().on('replay.progress', (p) => update({ progress: p }));
    const offStream = api().on('stream.status', (s) => update({ stream: s, streamError: undefined }));

    const render = setInterval(() => {
      if (!dirty.current) return;
      dirty.current = false;
      setData(latest.current);
    }, 1000 / RENDERS_PER_SECOND);

    let wasReplaying = false;
    const sample = setInterval(() => {
      const { progress, stream } = latest.current;
      const replaying = progress ? isActive(progress.state) : false;
      const streaming = stream?.state === 'running';
      // One more point after the replay ends, so a run shorter than a second still draws its rate.
      const ended = wasReplaying && !replaying;
      wasReplaying = replaying;
      if (!replaying && !streaming && !ended) return;
      update({
        points: appendPoint(
          latest.current.points,
          {
            at: Date.now(),
            produced: progress ? (progress.state === 'running' ? progress.eventsPerSecond : 0) : null,
            consumed: stream ? stream.bronze.rowsPerSecond : null,
          },
          MAX_POINTS,
        ),
      });
    }, POINT_EVERY_MS);

    return () => {
      live = false;
      offProgress();
      offStream();
      clearInterval(render);
      clearInterval(sample);
    };
  }, []);

  useEffect(() => {
    let live = true;
    api()
      .call('stream.status', {})
      .then((s) => {
        if (!live) return;
        latest.current = { ...latest.current, stream: s, streamError: undefined };
        dirty.current = true;
      })
      .catch((e: unknown) => {
        if (!live) return;
        latest.current = { ...latest.current, streamError: message(e) };
        dirty.current = true;
      });
    return () => {
      live = false;
    };
  }, [streamVersion]);

  return {
    ...data,
    apply: (p) => {
      latest.current = { ...latest.current, progress: p };
      dirty.current = true;
    },
    refreshStream: () => setStreamVersion((v) => v + 1),
  };
}
