import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ApiError, DLQ_TOPIC, type BrokerMessage } from '../contract';
import { kafkaClient } from '../kafka/client';
import type { KafkaTarget } from '../kafka/target';
import { dlqRow } from './data-quality';

/** A fixed event as Silver parses it (parse.sql): what a re-sent row must hold to be an event at all. */
const FixedEvent = z
  .object({
    event_time: z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'an ISO-8601 time'),
    event_type: z.string().trim().min(1),
    user_id: z.string().trim().min(1),
    product_id: z.string().nullish(),
    category_id: z.string().nullish(),
    category_code: z.string().nullish(),
    brand: z.string().nullish(),
    price: z.union([z.number().min(0), z.string().regex(/^\d+(\.\d+)?$/)]).nullish(),
    user_session: z.string().nullish(),
    order_id: z.string().nullish(),
  })
  .strict();

/**
 * Re-sends a dead letter, fixed by the user, onto the events topic: once. The message keeps the original
 * lineage (clickpulse.source, clickpulse.row) and adds clickpulse.resent-from = the DLQ offset, so Silver
 * traces it back and the app refuses a second re-send of the same dead letter (recorded in
 * <config>/dlq-resent.json before the send, so a crash cannot send it twice either).
 */
export class DlqResender {
  private readonly file: string;

  constructor(
    private readonly configDir: string,
    private readonly target: () => Promise<KafkaTarget>,
    private readonly message: (offset: number) => Promise<BrokerMessage | undefined>,
  ) {
    this.file = join(configDir, 'dlq-resent.json');
  }

  resent(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  async resend(
    offset: number,
    event: Record<string, unknown>,
    topic: string,
  ): Promise<{ topic: string; partition: number; offset: number }> {
    const parsed = FixedEvent.safeParse(event);
    if (!parsed.success) {
      throw new ApiError({
        code: 'VALIDATION',
        message: `The fixed row is not an event yet: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ')}.`,
      });
    }
    const done = this.resent();
    if (done[String(offset)]) {
      throw new ApiError({
        code: 'CONFLICT',
        message: `Dead letter ${DLQ_TOPIC}@${offset} was already re-sent (as ${done[String(offset)]}); it goes back through the topic once.`,
      });
    }
    const letter = await this.message(offset);
    if (!letter)
      throw new ApiError({ code: 'NOT_FOUND', message: `${DLQ_TOPIC} has no message at offset ${offset}.` });
    const row = dlqRow(letter);
    const value = JSON.stringify({
      ...Object.fromEntries(Object.keys(FixedEvent.shape).map((k) => [k, null])),
      ...parsed.data,
    });
    this.record({ ...done, [String(offset)]: 'sending' });
    const producer = kafkaClient(await this.target(), 'clickpulse-dlq-resend').producer({ idempotent: true });
    await producer.connect();
    try {
      const [meta] = await producer.send({
        topic,
        acks: -1,
        messages: [
          {
            key: parsed.data.user_id,
            value,
            headers: {
              ...(row.source ? { 'clickpulse.source': row.source } : {}),
              ...(row.row !== null ? { 'clickpulse.row': String(row.row) } : {}),
              'clickpulse.resent-from': `${DLQ_TOPIC}@${offset}`,
            },
          },
        ],
      });
      const at = { topic, partition: meta?.partition ?? 0, offset: Number(meta?.baseOffset ?? -1) };
      this.record({ ...this.resent(), [String(offset)]: `${at.topic}/${at.partition}@${at.offset}` });
      return at;
    } catch (error) {
      // Not acknowledged: the broker refused it, so the user may try again.
      const { [String(offset)]: _sending, ...rest } = this.resent();
      this.record(rest);
      throw error;
    } finally {
      await producer.disconnect();
    }
  }

  private record(done: Record<string, string>): void {
    mkdirSync(this.configDir, { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify(done, null, 2));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
