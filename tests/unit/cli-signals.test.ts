import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { stopOnSignals } from '../../pipeline/cli/signals';

function harness() {
  const source = new EventEmitter();
  const exits: number[] = [];
  const lines: string[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const stopped = stopOnSignals({
    source: source as never,
    exit: (code) => exits.push(code),
    err: (line) => lines.push(line),
    setTimer: (fn, ms) => {
      timers.push({ fn, ms });
      return {};
    },
  });
  return { source, exits, lines, timers, stopped };
}

describe('stopOnSignals', () => {
  it('asks for a clean stop on the first signal and sets a deadline under 5 s', async () => {
    const h = harness();
    h.source.emit('SIGTERM');
    await h.stopped;
    expect(h.exits).toEqual([]);
    expect(h.timers).toHaveLength(1);
    expect(h.timers[0]?.ms).toBeLessThan(5000);
    h.timers[0]?.fn(); // the clean stop took too long
    expect(h.exits).toEqual([143]);
    expect(h.lines.at(-1)).toContain('did not stop within 4.5 s');
  });

  it('exits at once on a second signal', async () => {
    const h = harness();
    h.source.emit('SIGINT');
    await h.stopped;
    h.source.emit('SIGINT');
    expect(h.exits).toEqual([130]);
    expect(h.lines.at(-1)).toBe('clickpulse: SIGINT again: exiting now.');
  });
});
