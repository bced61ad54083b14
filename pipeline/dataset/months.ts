/** The months the publisher (REES46, Open CDP) offers as `https://data.rees46.com/datasets/marketplace/<YYYY-Mon>.csv.gz`. */
export const REES46_MONTHS = [
  '2019-Oct',
  '2019-Nov',
  '2019-Dec',
  '2020-Jan',
  '2020-Feb',
  '2020-Mar',
  '2020-Apr',
] as const;

export const REES46_BASE_URL = 'https://data.rees46.com/datasets/marketplace/';

/** Tests (and mirrors) point downloads elsewhere with this variable. */
export const BASE_URL_ENV = 'CLICKPULSE_REES46_BASE_URL';

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Accepts the publisher's spelling (`2019-Oct`), case-insensitively, and returns it canonical; anything else
 * throws a sentence naming the expected format and the months on offer.
 */
export function parseMonth(text: string): string {
  const match = /^(\d{4})-([A-Za-z]{3})$/.exec(text.trim());
  const name = match?.[2] ? MONTH_NAMES.find((m) => m.toLowerCase() === match[2]?.toLowerCase()) : undefined;
  if (!match || !name) {
    throw new Error(
      `"${text}" is not a month in the form YYYY-Mon (for example 2019-Oct); REES46 publishes ${REES46_MONTHS.join(', ')}.`,
    );
  }
  return `${match[1]}-${name}`;
}

export function resolveBaseUrl(override?: string): string {
  const base = override || process.env[BASE_URL_ENV] || REES46_BASE_URL;
  return base.endsWith('/') ? base : `${base}/`;
}

export function monthFileName(month: string): string {
  return `${month}.csv.gz`;
}

export function monthUrl(month: string, baseUrl?: string): string {
  return new URL(monthFileName(month), resolveBaseUrl(baseUrl)).toString();
}
