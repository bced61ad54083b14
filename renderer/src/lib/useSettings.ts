import { useCallback, useEffect, useState } from 'react';
import type { Settings } from '../../../pipeline/contract';
import { api } from '../api/client';
import { applyTheme } from './theme';

/** The persisted settings, kept in sync across windows (settings.changed), with the theme applied. */
export function useSettings(): [Settings | undefined, (patch: Settings) => Promise<void>] {
  const [settings, setSettings] = useState<Settings>();
  useEffect(() => {
    let live = true;
    void api()
      .call('settings.get', {})
      .then((value) => live && setSettings(value))
      .catch(() => undefined);
    const off = api().on('settings.changed', setSettings);
    return () => {
      live = false;
      off();
    };
  }, []);
  useEffect(() => applyTheme(settings?.theme ?? 'system'), [settings?.theme]);
  const update = useCallback(
    async (patch: Settings) => setSettings(await api().call('settings.update', patch)),
    [],
  );
  return [settings, update];
}
