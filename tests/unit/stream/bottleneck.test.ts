import { describe, expect, it } from 'vitest';
import { bottleneck, type Backlogs } from '../../../pipeline/stream/bottleneck';

const idle: Backlogs = {
  kafkaLag: 0,
  bronzeRowsPerSecond: 0,
  silverBacklog: 0,
  silverRowsPerSecond: 0,
  goldWaitingSeconds: 0,
  active: false,
};

describe('which stage holds the lake back', () => {
  it('is nobody while nothing flows, and the producer while the lake keeps up', () => {
    expect(bottleneck(idle)).toBeNull();
    expect(bottleneck({ ...idle, active: true, kafkaLag: 1000, bronzeRowsPerSecond: 100_000 })).toBe(
      'producer',
    );
  });

  it('is the stage with the most seconds of work queued in front of it', () => {
    const busy = { ...idle, active: true, bronzeRowsPerSecond: 50_000, silverRowsPerSecond: 40_000 };
    expect(bottleneck({ ...busy, kafkaLag: 1_000_000, silverBacklog: 100_000 })).toBe('bronze');
    expect(bottleneck({ ...busy, kafkaLag: 100_000, silverBacklog: 1_000_000 })).toBe('silver');
    expect(bottleneck({ ...busy, kafkaLag: 10_000, goldWaitingSeconds: 30 })).toBe('gold');
    // A stalled stage (rate 0) with a backlog is the bottleneck, not a division by zero.
    expect(bottleneck({ ...busy, bronzeRowsPerSecond: 0, kafkaLag: 10 })).toBe('bronze');
  });
});
