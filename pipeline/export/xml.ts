/** Text safe inside an XML attribute value or element (quotes included, so either quote style works). */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `name='value'` pairs for an element's start tag. */
export function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}='${escapeXml(String(value))}'`)
    .join(' ');
}
