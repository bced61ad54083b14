import type { BatchHeader } from '../records/record-batch';
import {
  BATCH_HEADER_SIZE,
  BatchField,
  CURRENT_MAGIC,
  parseBatchHeader,
  validateBatch,
} from '../records/record-batch';
import { FileWindow } from './file-window';

const READ_AHEAD = 64 * 1024;
const LARGE_BATCH = 4096;

export interface ScannedBatch {
  position: number;
  size: number;
  header: BatchHeader;
}

export interface ScanOutcome {
  /** End of the last whole, valid batch: where a torn or corrupt tail starts. */
  validEnd: number;
  /** Why the scan stopped before `end`, or null when every byte was a valid batch. */
  problem: string | null;
}

/**
 * Walks the batches of a segment file from `start` to `end`. Always checks the framing (header present,
 * magic 2, length inside the file); with verifyCrc also reads each whole batch and checks its CRC-32C.
 * `visit` may stop the walk by returning a reason (e.g. an offset that breaks the sequence).
 */
export function scanBatches(
  fd: number,
  start: number,
  end: number,
  verifyCrc: boolean,
  visit: (batch: ScannedBatch) => string | null,
): ScanOutcome {
  const window = new FileWindow(fd, READ_AHEAD);
  let pos = start;
  let batches = 0;
  while (pos < end) {
    const problem = checkOne(window, pos, end, verifyCrc, visit);
    if (typeof problem === 'string') return { validEnd: pos, problem };
    pos += problem;
    batches++;
    if (!verifyCrc) {
      // Walking headers only: read ahead while batches are small (many headers per read), but read just
      // the header when they are large, so that opening a big log does not read all of its data.
      window.windowBytes = (pos - start) / batches < LARGE_BATCH ? READ_AHEAD : BATCH_HEADER_SIZE;
    }
  }
  return { validEnd: pos, problem: null };
}

/** The batch size when it is fine, else the reason it is not. */
function checkOne(
  window: FileWindow,
  pos: number,
  end: number,
  verifyCrc: boolean,
  visit: (batch: ScannedBatch) => string | null,
): number | string {
  const left = end - pos;
  if (left < BATCH_HEADER_SIZE) return `torn batch at byte ${pos}: only ${left} bytes left`;
  const head = window.bytes(pos, BATCH_HEADER_SIZE);
  if (head.length < BATCH_HEADER_SIZE) return `torn batch at byte ${pos}: file ends early`;
  const magic = head.readInt8(BatchField.magic);
  if (magic !== CURRENT_MAGIC) return `batch at byte ${pos} has magic ${magic}`;
  const header = parseBatchHeader(head, 0);
  const size = header.batchLength + 12;
  if (size < BATCH_HEADER_SIZE)
    return `batch at byte ${pos} claims an impossible length ${header.batchLength}`;
  if (size > left) return `torn batch at byte ${pos}: claims ${size} bytes, ${left} left`;
  if (Number.isNaN(header.baseOffset)) return `batch at byte ${pos} has a base offset beyond 2^53`;
  if (header.lastOffsetDelta < 0) return `batch at byte ${pos} has a negative lastOffsetDelta`;
  if (verifyCrc) {
    const full = window.bytes(pos, size);
    if (full.length < size) return `torn batch at byte ${pos}: file ends early`;
    const v = validateBatch(full);
    if (!v.ok) return `batch at byte ${pos}: ${v.reason}`;
  }
  const stop = visit({ position: pos, size, header });
  return stop ?? size;
}
