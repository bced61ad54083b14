import { describe, expect, it } from 'vitest';
import { statementAt } from '../../../pipeline/query/statement-text';

describe('statementAt: the statement under the cursor (Ctrl+Enter)', () => {
  const text = "SELECT 1 AS a;\nSELECT ';' AS b -- ; not here\n;\n\nSELECT 3 /* ; */ AS c";
  it.each([
    [0, 'SELECT 1 AS a'],
    [8, 'SELECT 1 AS a'],
    [text.indexOf("';'") + 1, "SELECT ';' AS b"],
    [text.indexOf('not here'), "SELECT ';' AS b"],
    [text.indexOf('\n\n') + 1, "SELECT ';' AS b"],
    [text.length, 'SELECT 3 /* ; */ AS c'],
  ])('at %i reads %s', (cursor, statement) => {
    expect(statementAt(text, cursor)).toBe(statement);
  });

  it('falls back to the statement before trailing blank lines, and to the first when all before are blank', () => {
    expect(statementAt('SELECT 1;\n\n', 11)).toBe('SELECT 1');
    expect(statementAt(';;\nSELECT 2', 0)).toBe('SELECT 2');
    expect(statementAt('   ', 1)).toBe('');
  });
});
