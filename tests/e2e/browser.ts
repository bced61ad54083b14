import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../helpers/repo-root';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, 'test-results', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  if (!existsSync(join(repoRoot, 'out', 'renderer', 'index.html'))) {
    throw new Error('The renderer is not built: run "npm run build" before the e2e tests (npm test does).');
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Collects console errors and page errors (CSP violations among them): a clean page has none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** How long expect.poll waits for the UI in e2e tests (a cold DuckDB and Chromium on a loaded CI machine). */
export const POLL = { timeout: 30_000, interval: 100 };

/** Text of the cell in the first data row under the named column of a grid. */
export async function firstCell(page: Page, grid: string, column: string): Promise<string> {
  const headers = await page.getByRole('grid', { name: grid }).getByRole('columnheader').allTextContents();
  const index = headers.findIndex((h) => h.startsWith(column));
  const row = page.getByRole('grid', { name: grid }).locator('[role="row"][aria-rowindex="2"]');
  if (index < 1) return ''; // the grid is not there yet: let expect.poll try again soon
  // A short wait: expect.poll retries, while Playwright's default would stall one attempt for 30 s.
  return row
    .locator('[role="gridcell"]')
    .nth(index - 1)
    .textContent({ timeout: 1000 })
    .then((t) => t ?? '')
    .catch(() => '');
}

/** For expect.poll: the text of the element with this test id, or '' while it is not there. */
export const testIdText = (page: Page, testId: string) => () =>
  page
    .getByTestId(testId)
    .textContent({ timeout: 1000 })
    .then((t) => t ?? '')
    .catch(() => '');

/**
 * One contract call over a WebSocket the page itself opens to its bridge (the cookie authenticates it), as
 * any script running in the page could: resolves with the raw answer ({ id, ok, value | error }).
 */
export function callFromPage(
  page: Page,
  call: string,
  payload: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  return page.evaluate(
    ([name, body]) =>
      new Promise((resolve, reject) => {
        const socket = new WebSocket(`ws://${location.host}/api`);
        socket.onerror = () => reject(new Error('the bridge refused the socket'));
        socket.onopen = () => socket.send(JSON.stringify({ id: 1, call: name, payload: body }));
        socket.onmessage = (event) => {
          const message = JSON.parse(String(event.data)) as { id?: number };
          if (message.id !== 1) return;
          socket.close();
          resolve(message as never);
        };
      }),
    [call, payload] as const,
  );
}

/** callFromPage's value, or a rejection with the Workbench's error. */
export async function callValueFromPage(page: Page, call: string, payload: unknown): Promise<unknown> {
  const answer = await callFromPage(page, call, payload);
  if (!answer.ok) throw new Error(`${call}: ${JSON.stringify(answer.error)}`);
  return answer.value;
}
