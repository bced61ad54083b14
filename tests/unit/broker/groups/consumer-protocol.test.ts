import { describe, expect, it } from 'vitest';
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from '../../../../pipeline/broker/groups/consumer-protocol';

describe('consumer protocol (Subscription / Assignment)', () => {
  it('round-trips a subscription with user data', () => {
    const bytes = encodeSubscription({ topics: ['clicks', 'views'], userData: Buffer.from([1, 2, 3]) });
    expect(decodeSubscription(bytes)).toEqual({
      version: 0,
      topics: ['clicks', 'views'],
      userData: Buffer.from([1, 2, 3]),
    });
  });

  it('round-trips an assignment, null user data included', () => {
    const assignedPartitions = [
      { topic: 'clicks', partitions: [0, 2] },
      { topic: 'views', partitions: [] },
    ];
    const bytes = encodeAssignment({ version: 1, assignedPartitions });
    expect(decodeAssignment(bytes)).toEqual({ version: 1, assignedPartitions, userData: null });
  });

  it('matches the byte layout Kafka clients produce', () => {
    // version 0, 1 topic "a", 1 partition 7, userData of length 0
    const bytes = Buffer.from([0, 0, 0, 0, 0, 1, 0, 1, 0x61, 0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0, 0]);
    expect(decodeAssignment(bytes)).toEqual({
      version: 0,
      assignedPartitions: [{ topic: 'a', partitions: [7] }],
      userData: Buffer.alloc(0),
    });
    expect(
      encodeAssignment({ assignedPartitions: [{ topic: 'a', partitions: [7] }], userData: Buffer.alloc(0) }),
    ).toEqual(bytes);
  });

  it('tolerates missing trailing user data and rejects truncated input', () => {
    const withoutUserData = Buffer.from([0, 0, 0, 0, 0, 1, 0, 1, 0x61]);
    expect(decodeSubscription(withoutUserData)).toEqual({ version: 0, topics: ['a'], userData: null });
    expect(() => decodeAssignment(Buffer.from([0, 0, 0, 0, 0, 1, 0, 5, 0x61]))).toThrow(RangeError);
    expect(() => decodeAssignment(Buffer.from([0, 0, 0x7f, 0xff, 0xff, 0xff]))).toThrow(RangeError);
  });
});
