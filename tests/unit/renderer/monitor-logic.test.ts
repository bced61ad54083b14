import { describe, expect, it } from 'vitest';
import type { ReplayProgress } from '../../../pipeline/contract';
import {
  describeBottleneck,
  appendPoint,
  formatEta,
  formatFreshness,
  isActive,
  isTypingTarget,
  progressRatio,
  seriesEveryMs,
  type RatePoint,
} from '../../../renderer/src/screens/monitor/monitor-logic';

describe('monitor helpers', () => {
  it('formats the ETA by state', () => {
    expect(formatEta({ state: 'running', etaSeconds: 65 })).toBe('1 m 05 s left');
    expect(formatEta({ state: 'running', etaSeconds: 4 })).toBe('4 s left');
    expect(formatEta({ state: 'starting', etaSeconds: null })).toBe('estimating…');
    expect(formatEta({ state: 'running', etaSeconds: 0 })).toBe('almost done');
    expect(formatEta({ state: 'paused', etaSeconds: 10 })).toBe('paused');
    expect(formatEta({ state: 'completed', etaSeconds: 0 })).toBe('done');
    expect(formatEta({ state: 'failed', etaSeconds: 3 })).toBe('–');
  });

  it('computes the share read: whole once completed, unknown before the first position, within 0..1', () => {
    expect(progressRatio({ state: 'running', bytesRead: 25, totalBytes: 100 })).toBe(0.25);
    expect(progressRatio({ state: 'running', bytesRead: 150, totalBytes: 100 })).toBe(1);
    expect(progressRatio({ state: 'running', bytesRead: 10, totalBytes: 0 })).toBeNull();
    expect(progressRatio({ state: 'running', bytesRead: 0, totalBytes: 100 })).toBeNull();
    expect(progressRatio({ state: 'stopped', bytesRead: 0, totalBytes: 100 })).toBe(0);
    expect(progressRatio({ state: 'completed', bytesRead: 90, totalBytes: 100 })).toBe(1);
  });

  it('keeps only the newest points', () => {
    let points: RatePoint[] = [];
    for (let i = 0; i < 10; i++) points = appendPoint(points, { at: i, produced: i, consumed: null }, 4);
    expect(points.map((p) => p.at)).toEqual([6, 7, 8, 9]);
  });

  it('tells active states and formats freshness', () => {
    expect(isActive('paused')).toBe(true);
    expect(isActive('completed')).toBe(false);
    expect(formatFreshness(0.2)).toBe('< 1 s');
    expect(formatFreshness(90)).toBe('1 m 30 s');
    expect(formatFreshness(null)).toBe('–');
  });
});

describe('shortcut targets', () => {
  it('treats fields as typing and everything else as free for shortcuts', () => {
    expect(isTypingTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('describeBottleneck', () => {
  it('names the stage holding the pipeline back, and a dash when none', () => {
    expect(describeBottleneck('silver')).toBe('Silver (Bronze files wait for it)');
    expect(describeBottleneck('producer')).toBe('the producer (the lake keeps up)');
    expect(describeBottleneck(null)).toBe('–');
  });
});

describe('seriesEveryMs', () => {
  const timing = { liveMs: 1000, idleMs: 10_000, tailMs: 65_000 };
  const now = Date.parse('2026-12-01T12:00:00Z');
  type State = ReplayProgress['state'];
  const run = (state: State, endedAt: string | null) => ({ run: { runId: 'r1', state, endedAt } });

  it('asks every second while a run goes on, and again at once when its summary is from before it ended', () => {
    expect(seriesEveryMs({ runId: 'r1', state: 'running' }, run('running', null), now, timing)).toBe(1000);
    // A 1 s run: the last summary was fetched while it ran (no end, no rows yet); the replay has completed.
    expect(seriesEveryMs({ runId: 'r1', state: 'completed' }, run('running', null), now, timing)).toBe(1000);
  });

  it('follows the lake for the tail after the end, then every ten seconds; a new run is asked for at once', () => {
    const ended = new Date(now - 5000).toISOString();
    expect(seriesEveryMs({ runId: 'r1', state: 'completed' }, run('completed', ended), now, timing)).toBe(
      1000,
    );
    const long = new Date(now - 120_000).toISOString();
    expect(seriesEveryMs({ runId: 'r1', state: 'completed' }, run('completed', long), now, timing)).toBe(
      10_000,
    );
    expect(seriesEveryMs({ runId: 'r2', state: 'starting' }, run('completed', long), now, timing)).toBe(1000);
    expect(seriesEveryMs(null, undefined, now, timing)).toBe(1000);
  });
});
