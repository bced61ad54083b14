import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import { takePendingSql } from './open-in-sql';

export interface SqlTabText {
  /** Stable while the app runs (not persisted): React keys and result ownership. */
  id: number;
  title: string;
  sql: string;
}

let nextId = 1;
const tab = (title: string, sql: string): SqlTabText => ({ id: nextId++, title, sql });

/**
 * The console's query tabs, loaded from and saved to the settings store, so they survive a restart.
 */
export function useSqlTabs(example: string) {
  const [tabs, setTabs] = useState<SqlTabText[]>();
  const [active, setActive] = useState(0);
  const saved = useRef<string>('');

  useEffect(() => {
    let live = true;
    void api()
      .call('settings.get', {})
      .catch(() => ({ sqlTabs: undefined }))
      .then((settings) => {
        if (!live) return;
        const stored = (settings.sqlTabs ?? []).map((t) => tab(t.title, t.sql));
        saved.current = JSON.stringify(settings.sqlTabs ?? []);
        const list = stored.length ? stored : [tab('Query 1', example)];
        const incoming = takePendingSql();
        if (incoming !== undefined) list.push(tab(`Query ${list.length + 1}`, incoming));
        setTabs(list);
        setActive(incoming !== undefined ? list.length - 1 : 0);
      });
    return () => {
      live = false;
    };
  }, [example]);

  // Saving waits for a pause in typing; whatever is still waiting is saved when the console closes.
  const pending = useRef<{ title: string; sql: string }[]>(undefined);
  const flush = useCallback(() => {
    const sqlTabs = pending.current;
    if (!sqlTabs) return;
    pending.current = undefined;
    saved.current = JSON.stringify(sqlTabs);
    void api()
      .call('settings.update', { sqlTabs })
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    if (!tabs) return;
    const sqlTabs = tabs.map(({ title, sql }) => ({ title, sql }));
    if (JSON.stringify(sqlTabs) === saved.current) return;
    pending.current = sqlTabs;
    const timer = setTimeout(flush, 400);
    return () => clearTimeout(timer);
  }, [tabs, flush]);
  useEffect(() => {
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [flush]);

  const setSql = useCallback(
    (id: number, sql: string) => setTabs((list) => list?.map((t) => (t.id === id ? { ...t, sql } : t))),
    [],
  );
  const add = useCallback((sql = '') => {
    setTabs((list) => {
      const next = [...(list ?? []), tab(`Query ${(list?.length ?? 0) + 1}`, sql)];
      setActive(next.length - 1);
      return next;
    });
  }, []);
  const remove = useCallback((id: number) => {
    setTabs((list) => {
      const next = (list ?? []).filter((t) => t.id !== id);
      const kept = next.length ? next : [tab('Query 1', '')];
      setActive((a) => Math.min(a, kept.length - 1));
      return kept;
    });
  }, []);
  return { tabs, active: Math.min(active, (tabs?.length ?? 1) - 1), setActive, setSql, add, remove };
}
