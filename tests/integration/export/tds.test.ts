import { describe, expect, it } from 'vitest';
import { tableauField } from '../../../pipeline/export/tableau-fields';
import { caption, renderTds } from '../../../pipeline/export/tds';
import { run } from '../../helpers/exec';

describe('Tableau fields', () => {
  it('types ids as text dimensions, dates as dimensions, counts as summed and shares as averaged measures', () => {
    const pick = (name: string, type: string) => {
      const f = tableauField(name, type);
      return [f.datatype, f.role, f.type, f.aggregation, f.percent ?? false];
    };
    expect(pick('user_id', 'BIGINT')).toEqual(['string', 'dimension', 'nominal', 'Count', false]);
    expect(pick('session_id', 'VARCHAR')).toEqual(['string', 'dimension', 'nominal', 'Count', false]);
    expect(pick('event_date', 'DATE')).toEqual(['date', 'dimension', 'ordinal', 'Year', false]);
    expect(pick('minute', 'TIMESTAMP WITH TIME ZONE')).toEqual([
      'datetime',
      'dimension',
      'ordinal',
      'Year',
      false,
    ]);
    expect(pick('purchased', 'BOOLEAN')).toEqual(['boolean', 'dimension', 'nominal', 'Count', false]);
    expect(pick('hour', 'INTEGER')).toEqual(['integer', 'dimension', 'ordinal', 'Count', false]);
    expect(pick('views', 'BIGINT')).toEqual(['integer', 'measure', 'quantitative', 'Sum', false]);
    expect(pick('revenue', 'DECIMAL(38,2)')).toEqual(['real', 'measure', 'quantitative', 'Sum', false]);
    expect(pick('bounce_rate', 'DOUBLE')).toEqual(['real', 'measure', 'quantitative', 'Avg', true]);
    expect(pick('avg_duration_s', 'DOUBLE')).toEqual(['real', 'measure', 'quantitative', 'Avg', false]);
    expect(pick('brand', 'VARCHAR')).toEqual(['string', 'dimension', 'nominal', 'Count', false]);
  });

  it('captions columns the way Tableau does', () => {
    expect(caption('view_to_cart')).toBe('View To Cart');
  });
});

describe('renderTds', () => {
  it('escapes names and paths so any of them stays well-formed XML', async () => {
    const odd = `a'b "c" <d> & é`;
    const tds = renderTds({
      caption: odd,
      directory: `/tmp/it's <here> & "there"`,
      filename: `${odd}.csv`,
      fields: [tableauField(odd, 'BIGINT'), tableauField('event_date', 'DATE')],
    });
    const script = `
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
conn = root.find('connection/named-connections/named-connection/connection')
print(json.dumps([conn.get('directory'), conn.get('filename'), [c.get('name') for c in root.findall('column')]]))`;
    const { code, stdout, stderr } = await run('python3', ['-c', script], { input: tds });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      `/tmp/it's <here> & "there"`,
      `${odd}.csv`,
      [`[${odd}]`, '[event_date]'],
    ]);
  });
});
