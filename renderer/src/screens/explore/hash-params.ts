/**
 * A screen's state after its id in the hash (#/explore?q=brand%3Aapple&from=…), so a search or a drill-through
 * is a link: reload, bookmark or share it. Written with replaceState, which fires no hashchange (the route
 * stays the same screen).
 */
export function readHashParams(): URLSearchParams {
  const hash = window.location.hash;
  const q = hash.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
}

export function writeHashParams(screen: string, params: Record<string, string | undefined>): void {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, v);
  const text = search.toString();
  window.history.replaceState(null, '', `#/${screen}${text ? `?${text}` : ''}`);
}

/** A link to a screen with its state. */
export function screenLink(screen: string, params: Record<string, string>): string {
  return `#/${screen}?${new URLSearchParams(params).toString()}`;
}
