import { useEffect, useState } from 'react';

/** The current screen lives in location.hash (#/lake), so reloads and links keep it. */
export function useHashRoute(fallback: string): [string, (id: string) => void] {
  const read = () => window.location.hash.replace(/^#\/?/, '') || fallback;
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return [route, (id: string) => (window.location.hash = `#/${id}`)];
}
