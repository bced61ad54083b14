import { useEffect, useState } from 'react';
import { DEFAULT_TOPIC, type CallRequest, type ResumePoint } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import type { ReplayRequest } from './run-options';

/**
 * Where the replay as set up would resume (an earlier stopped run of the same file, topic, mapping and
 * window), asked again whenever the request changes; null when it starts from the first row.
 */
export function useResumePoint(request: ReplayRequest | undefined): ResumePoint | null {
  const [answer, setAnswer] = useState<{ key: string; point: ResumePoint | null }>();
  // Only what decides where a replay resumes (no broker credentials leave the form for this).
  const ask: CallRequest<'replay.resumePoint'> | undefined = request && {
    path: request.path,
    topic: request.topic ?? DEFAULT_TOPIC,
    ...(request.mapping ? { mapping: request.mapping } : {}),
    ...(request.constantEventType ? { constantEventType: request.constantEventType } : {}),
    ...(request.from ? { from: request.from } : {}),
    ...(request.to ? { to: request.to } : {}),
    ...(request.order ? { order: request.order } : {}),
    ...(request.key ? { key: request.key } : {}),
  };
  const key = ask ? JSON.stringify(ask) : '';
  useEffect(() => {
    if (!key) return;
    let live = true;
    // The replay asks its own broker about nothing here: only the checkpoint on disk is read.
    const timer = setTimeout(() => {
      api()
        .call('replay.resumePoint', JSON.parse(key) as CallRequest<'replay.resumePoint'>)
        .then((value) => live && setAnswer({ key, point: value }))
        .catch(() => live && setAnswer({ key, point: null }));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);
  // An answer for another set-up (or none yet) says nothing about this one.
  return key && answer?.key === key ? answer.point : null;
}
