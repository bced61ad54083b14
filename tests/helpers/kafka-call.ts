import { ApiVersions } from '../../pipeline/broker/protocol/messages/api-versions';
import type { Api } from '../../pipeline/broker/protocol/api';
import { Reader } from '../../pipeline/broker/protocol/reader';
import type { Ctx } from '../../pipeline/broker/protocol/types';
import { Writer } from '../../pipeline/broker/protocol/writer';
import type { RawKafka } from './raw-kafka';

/**
 * Sends one request of any API and version over a raw socket, encoded from the message description, and
 * decodes the answer: for the versions no client on this machine sends (the flexible ones).
 */
export async function kafkaCall<Req, Res>(
  raw: RawKafka,
  api: Api<Req, Res>,
  version: number,
  body: Req,
  correlationId = 7,
): Promise<Res> {
  const ctx: Ctx = { version, flexible: version >= api.flexibleFrom };
  const w = new Writer();
  if (ctx.flexible) w.uvarint(0); // request header v2: its tagged fields follow the client id
  api.request.write(w, body, ctx);
  const frame = await raw.request(api.key, version, w.toBuffer(), correlationId);
  if (!frame) throw new Error(`the broker closed the connection on ${api.name} v${version}`);
  const r = new Reader(frame);
  const echoed = r.int32();
  if (echoed !== correlationId) throw new Error(`correlation id ${echoed}, expected ${correlationId}`);
  if (ctx.flexible && api.key !== ApiVersions.key) {
    const tags = r.uvarint(); // response header v1
    if (tags !== 0) throw new Error(`${tags} unexpected tagged fields in the response header`);
  }
  const response = api.response.read(r, ctx);
  if (r.remaining !== 0)
    throw new Error(`${r.remaining} bytes left after the ${api.name} v${version} response`);
  return response;
}
