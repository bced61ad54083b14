import type { z } from 'zod';

/** One request/response call of the Workbench API. */
export interface CallSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  summary: string;
  request: Req;
  response: Res;
}

export function call<Req extends z.ZodType, Res extends z.ZodType>(
  summary: string,
  request: Req,
  response: Res,
): CallSpec<Req, Res> {
  return { summary, request, response };
}

/** One event stream the Workbench pushes to every subscriber. */
export interface EventSpec<Payload extends z.ZodType = z.ZodType> {
  summary: string;
  payload: Payload;
}

export function event<Payload extends z.ZodType>(summary: string, payload: Payload): EventSpec<Payload> {
  return { summary, payload };
}
