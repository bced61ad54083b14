/**
 * Idempotent-producer bookkeeping for one partition, following Kafka's ProducerStateManager: per producerId
 * the current epoch and the sequence ranges of the last 5 appended batches (a producer has at most 5
 * requests in flight, so a retry always matches one of them). Rebuilt on open from the batch headers of the
 * retained log, so it never needs its own file.
 */

const INT32_MAX = 2 ** 31 - 1;
/** Kafka keeps this many batches per producer: max.in.flight.requests.per.connection for idempotence. */
export const RETAINED_BATCHES_PER_PRODUCER = 5;
export const NO_PRODUCER_ID = -1;

export interface ProducerBatchFields {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  lastOffsetDelta: number;
}

export interface ProducerBatchMetadata {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
}

export interface ProducerEntry {
  epoch: number;
  /** Oldest first, at most RETAINED_BATCHES_PER_PRODUCER. */
  batches: ProducerBatchMetadata[];
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number }
  | { kind: 'error'; error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH'; message: string };

/** Sequences wrap from int32 max back to 0. */
export function lastSequence(baseSequence: number, lastOffsetDelta: number): number {
  const last = baseSequence + lastOffsetDelta;
  return last > INT32_MAX ? last - INT32_MAX - 1 : last;
}

function nextSequence(seq: number): number {
  return seq === INT32_MAX ? 0 : seq + 1;
}

export class ProducerState {
  private readonly producers = new Map<number, ProducerEntry>();

  get producerCount(): number {
    return this.producers.size;
  }

  /** A copy of one producer's state, for diagnostics and tests. */
  entry(producerId: number): ProducerEntry | undefined {
    const e = this.producers.get(producerId);
    return e && { epoch: e.epoch, batches: e.batches.map((b) => ({ ...b })) };
  }

  /**
   * Decides what to do with the batches of one append, in order, without changing any state: later batches
   * of the same producer are checked against the earlier ones. The first duplicate makes the whole append a
   * duplicate, as in Kafka.
   */
  check(batches: readonly ProducerBatchFields[]): SequenceCheck {
    const scratch = new Map<number, ProducerEntry>();
    for (const batch of batches) {
      if (batch.producerId < 0) continue;
      const known = scratch.get(batch.producerId) ?? this.entry(batch.producerId);
      const firstSeq = batch.baseSequence;
      const lastSeq = lastSequence(firstSeq, batch.lastOffsetDelta);
      if (known && batch.producerEpoch === known.epoch) {
        const dup = known.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
        if (dup) return { kind: 'duplicate', baseOffset: dup.baseOffset };
      }
      const problem = this.sequenceProblem(known, batch);
      if (problem) return problem;
      scratch.set(batch.producerId, applyBatch(known, batch, -1));
    }
    return { kind: 'append' };
  }

  /** Records a batch that is now in the log (after check, or while scanning the log on open). */
  record(batch: ProducerBatchFields, baseOffset: number): void {
    if (batch.producerId < 0) return;
    this.producers.set(batch.producerId, applyBatch(this.producers.get(batch.producerId), batch, baseOffset));
  }

  private sequenceProblem(
    known: ProducerEntry | undefined,
    batch: ProducerBatchFields,
  ): SequenceCheck | null {
    const pid = batch.producerId;
    if (!known) {
      // No state (a new producer, or its batches were all deleted by retention): Kafka accepts any sequence.
      return null;
    }
    if (batch.producerEpoch < known.epoch) {
      return {
        kind: 'error',
        error: 'INVALID_PRODUCER_EPOCH',
        message: `producer ${pid} epoch ${batch.producerEpoch} is older than the current epoch ${known.epoch}`,
      };
    }
    if (batch.producerEpoch > known.epoch) {
      if (batch.baseSequence === 0) return null;
      return {
        kind: 'error',
        error: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
        message: `producer ${pid} new epoch ${batch.producerEpoch} must start at sequence 0, got ${batch.baseSequence}`,
      };
    }
    const last = known.batches[known.batches.length - 1];
    if (!last || batch.baseSequence === nextSequence(last.lastSeq)) return null;
    return {
      kind: 'error',
      error: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
      message: `producer ${pid} epoch ${known.epoch}: expected sequence ${nextSequence(last.lastSeq)}, got ${batch.baseSequence}`,
    };
  }
}

function applyBatch(
  known: ProducerEntry | undefined,
  batch: ProducerBatchFields,
  baseOffset: number,
): ProducerEntry {
  const sameEpoch = known !== undefined && known.epoch === batch.producerEpoch;
  const batches = sameEpoch ? [...known.batches] : [];
  batches.push({
    firstSeq: batch.baseSequence,
    lastSeq: lastSequence(batch.baseSequence, batch.lastOffsetDelta),
    baseOffset,
  });
  if (batches.length > RETAINED_BATCHES_PER_PRODUCER) batches.shift();
  return { epoch: batch.producerEpoch, batches };
}
