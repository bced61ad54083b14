/** Parses a TCP port flag; returns the port, or a sentence explaining what is wrong. */
export function parsePort(value: unknown, fallback: number): number | string {
  if (value === undefined) return fallback;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) > 65535)
    return `--port must be a whole number from 0 to 65535, not "${text}".`;
  return Number(text);
}
