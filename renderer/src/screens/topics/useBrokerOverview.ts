import { useCallback, useEffect, useRef, useState } from 'react';
import type { BrokerOverview } from '../../../../pipeline/contract';
import { api } from '../../api/client';

export const REFRESH_MS = 2000;

/**
 * The broker's topics and groups, refreshed every 2 s while the screen is shown and at once when the broker
 * starts or stops. Keeps the last answer while a refresh is in flight, so the tables do not flicker.
 */
export function useBrokerOverview(): {
  overview: BrokerOverview | undefined;
  error: string | undefined;
  refresh: () => void;
} {
  const [overview, setOverview] = useState<BrokerOverview>();
  const [error, setError] = useState<string>();
  const inFlight = useRef(false);
  const live = useRef(true);

  const refresh = useCallback(() => {
    if (inFlight.current) return;
    inFlight.current = true;
    api()
      .call('broker.overview', {})
      .then((value) => {
        if (!live.current) return;
        setOverview(value);
        setError(undefined);
      })
      .catch((e: unknown) => live.current && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => {
        inFlight.current = false;
      });
  }, []);

  useEffect(() => {
    live.current = true;
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    const off = api().on('broker.status', refresh);
    return () => {
      live.current = false;
      clearInterval(timer);
      off();
    };
  }, [refresh]);

  return { overview, error, refresh };
}
