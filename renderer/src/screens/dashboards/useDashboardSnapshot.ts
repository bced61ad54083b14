import { useCallback, useEffect, useRef, useState } from 'react';
import {
  ApiError,
  type DashboardFiltersInput,
  type DashboardSnapshot,
  type ReplayProgress,
} from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { useEvent } from '../../api/hooks';

export const LIVE_MS = 5000;

export interface SnapshotState {
  /** The last snapshot that was ready and consistent: kept on screen while the next one loads. */
  data: DashboardSnapshot | undefined;
  /** The lake answered and has no Gold yet. */
  empty: boolean;
  refreshing: boolean;
  error: string | undefined;
  /** The latest refresh found Gold mid-rewrite throughout its retries; the screen kept the one before. */
  staleBecauseRewriting: boolean;
  /** Seconds of event time the snapshot's newest event lies behind the running replay's; null when none runs. */
  behindReplaySeconds: number | null;
}

type Held = SnapshotState & { answered: string };

/**
 * The last figures the screen showed, with their filters: back on the screen (it remounts on every visit)
 * they are on its first frame, marked as refreshing, instead of "…" until the Workbench answers (a 5M-row
 * lake's refresh took 1–3 s during a max-speed replay).
 */
let lastShown: { key: string; state: Held } | null = null;

/**
 * Loads the dashboard snapshot for the filters: again when they change, when the lake stream reports a new
 * Gold flush, and every LIVE_MS while live. An answer for filters no longer chosen is dropped.
 */
export function useDashboardSnapshot(filters: DashboardFiltersInput, live: boolean): SnapshotState {
  const key = JSON.stringify(filters);
  const [state, setState] = useState<Held>(() =>
    lastShown?.key === key && lastShown.state.data
      ? { ...lastShown.state, answered: '', error: undefined }
      : {
          answered: '',
          data: undefined,
          empty: false,
          refreshing: false,
          error: undefined,
          staleBecauseRewriting: false,
          behindReplaySeconds: null,
        },
  );
  const [tick, setTick] = useState(0);
  const latestKey = useRef('');
  const inFlight = useRef<string | null>(null);
  const again = useRef(false);
  const lastFlush = useRef<string | null>(null);

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setTick((t) => t + 1), LIVE_MS);
    return () => clearInterval(timer);
  }, [live]);

  const onStream = useCallback(
    (status: { gold: { lastFlushAt: string | null } }) => {
      if (!live || status.gold.lastFlushAt === lastFlush.current) return;
      lastFlush.current = status.gold.lastFlushAt;
      setTick((t) => t + 1);
    },
    [live],
  );
  useEvent('stream.status', onStream);

  useEffect(() => {
    latestKey.current = key;
    // One request at a time per filters: a refresh asked for meanwhile runs once this one is answered.
    // (Superseding it instead would starve the screen when Gold flushes faster than a refresh answers.)
    if (inFlight.current === key) {
      again.current = true;
      return;
    }
    inFlight.current = key;
    const asked = `${key}|${tick}`;
    const settled = () => {
      if (inFlight.current !== key) return;
      inFlight.current = null;
      if (again.current) {
        again.current = false;
        setTick((t) => t + 1);
      }
    };
    const request = JSON.parse(key) as DashboardFiltersInput;
    void Promise.all([
      api().call('dashboard.snapshot', request),
      api()
        .call('replay.status', {})
        .catch(() => null),
    ]).then(
      ([snapshot, replay]) => {
        settled();
        if (key !== latestKey.current) return;
        setState((s) => {
          if (!snapshot.ready)
            return { ...s, answered: asked, data: undefined, empty: true, error: undefined };
          if (!snapshot.consistent && s.data)
            return { ...s, answered: asked, error: undefined, staleBecauseRewriting: true };
          return {
            answered: asked,
            data: snapshot,
            empty: false,
            refreshing: false,
            error: undefined,
            staleBecauseRewriting: false,
            behindReplaySeconds: behind(snapshot, replay),
          };
        });
      },
      (error: unknown) => {
        // Superseded on the server by a newer request (another window's, or a script's) before it ran:
        // not a failure; the last data stays and these filters are asked for again.
        const superseded = error instanceof ApiError && error.code === 'CANCELLED';
        if (superseded && key === latestKey.current) again.current = true;
        settled();
        if (key !== latestKey.current || superseded) return;
        const message = error instanceof Error ? error.message : String(error);
        setState((s) => ({ ...s, answered: asked, error: message }));
      },
    );
  }, [key, tick]);

  // Kept with the filters they answer (answered is "<filters>|<tick>"), not the ones chosen since.
  useEffect(() => {
    const at = state.answered.lastIndexOf('|');
    if (at > 0 && state.data) lastShown = { key: state.answered.slice(0, at), state };
  }, [state]);

  // Refreshing while the latest request has no answer yet (the last data stays on screen meanwhile).
  const { answered, ...shown } = state;
  return { ...shown, refreshing: answered !== `${key}|${tick}` };
}

function behind(snapshot: DashboardSnapshot, replay: ReplayProgress | null): number | null {
  if (!replay?.currentEventTime || !snapshot.latestEventTime) return null;
  if (!['running', 'paused', 'starting'].includes(replay.state)) return null;
  const seconds = (Date.parse(replay.currentEventTime) - Date.parse(snapshot.latestEventTime)) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, seconds) : null;
}
