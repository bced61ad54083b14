import type { Locator, Page } from 'playwright-core';

/**
 * Replaces the SQL editor's text as a user would, through CodeMirror's own commands (select all, delete)
 * and text input. Playwright's fill() makes Chromium's native editing merge CodeMirror's line elements,
 * which tries to add an inline style attribute: the page's CSP blocks it and logs a console error.
 */
export async function typeSql(page: Page, text: string, scope: Page | Locator = page): Promise<void> {
  await scope.getByRole('textbox', { name: 'SQL' }).click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}
