import { useCallback, useEffect, useState } from 'react';
import type { SinkStatus } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { useEvent } from '../../api/hooks';

/** One line on the Monitor: how far the PostgreSQL sink is behind Gold, when a sink runs. */
export function SinkLag() {
  const [status, setStatus] = useState<SinkStatus>();
  useEffect(() => {
    void api()
      .call('sink.postgres.status', {})
      .then(setStatus)
      .catch(() => undefined);
  }, []);
  useEvent(
    'sink.status',
    useCallback((s: SinkStatus) => setStatus(s), []),
  );
  return <SinkLagLine status={status} />;
}

/** The line itself, from a status: nothing while no sink runs. */
export function SinkLagLine({ status }: { status: SinkStatus | undefined }) {
  if (!status || status.state === 'stopped') return null;
  const lag = status.lagSeconds === null ? '–' : `${status.lagSeconds.toFixed(1)} s`;
  return (
    <p className="muted" aria-label="PostgreSQL sink lag">
      PostgreSQL sink ({status.schema}): {status.state}, lag behind Gold {lag}
      {status.lastError ? ` — ${status.lastError}` : ''}
    </p>
  );
}
