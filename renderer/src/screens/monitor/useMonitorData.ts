import { useEffect, useRef, useState } from 'react';
import type { ReplayProgress, RunSeries, StreamStatus } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { seriesEveryMs } from './monitor-logic';

export interface MonitorData {
  /** undefined while loading; null when no replay ran since the Workbench started. */
  progress: ReplayProgress | null | undefined;
  stream: StreamStatus | undefined;
  /** Why stream.status cannot answer (e.g. the lake consumer is not available in this build). */
  streamError: string | undefined;
  /** The run's series and summary as the Workbench keeps them (they outlive this screen). */
  series: RunSeries | null | undefined;
}

/** At most this many renders per second, however fast progress events arrive during a max-speed replay. */
const RENDERS_PER_SECOND = 4;
/** The series is asked for once a second while a run or its lake tail is live, else every ten. */
const SERIES_EVERY_MS = 1000;
const IDLE_SERIES_EVERY_MS = 10_000;
/** The history follows the lake for up to a minute after the replay ends. */
const TAIL_MS = 65_000;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The replay's progress and the lake consumer's status, from their events. Events only update refs; a
 * timer copies them into React state a few times a second, so rendering never falls behind the producer.
 */
export function useMonitorData(): MonitorData & {
  apply: (p: ReplayProgress) => void;
  refreshStream: () => void;
} {
  const initial: MonitorData = {
    progress: undefined,
    stream: undefined,
    streamError: undefined,
    series: undefined,
  };
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

    // The chart comes from the Workbench's run history: leaving the screen or reloading loses nothing.
    let lastAsked = 0;
    const askSeries = () => {
      lastAsked = Date.now();
      api()
        .call('replay.series', {})
        .then((value) => live && update({ series: value }))
        .catch(() => live && update({ series: null }));
    };
    askSeries();
    const sample = setInterval(() => {
      const { progress, series } = latest.current;
      const every = seriesEveryMs(progress, series, Date.now(), {
        liveMs: SERIES_EVERY_MS,
        idleMs: IDLE_SERIES_EVERY_MS,
        tailMs: TAIL_MS,
      });
      if (Date.now() - lastAsked >= every - 50) askSeries();
    }, SERIES_EVERY_MS / 2);

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
