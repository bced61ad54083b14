import { describe, expect, it } from 'vitest';
import { DashboardFilters } from '../../../pipeline/contract';
import { scopeOf } from '../../../pipeline/dashboards/scope';
import { heatmapColours, funnelOption } from '../../../renderer/src/screens/dashboards/chart-options';
import { rowsToCsv } from '../../../renderer/src/screens/dashboards/csv-rows';

const extent = { first: '2019-10-01', last: '2019-10-31' };

describe('dashboard scope', () => {
  it('compares with the period of the same length just before', () => {
    const s = scopeOf(DashboardFilters.parse({ from: '2019-10-08', to: '2019-10-14' }), extent, 0);
    expect(s.previousPeriod).toEqual({ from: '2019-10-01', to: '2019-10-07' });
    expect(s.grain).toBe('hour');
    expect(s.source).toBe('gold');
  });

  it('reads Silver for any filter Gold has no column for, and says which', () => {
    const s = scopeOf(DashboardFilters.parse({ brands: ['apple', '(none)'] }), extent, 0);
    expect(s.source).toBe('silver');
    expect(s.sourceReason).toMatch(/no brand/);
    expect(s.silverWhere).toContain("(brand IN ('apple') OR brand IS NULL)");
  });

  it('quotes values, so a name with a quote stays a value', () => {
    const s = scopeOf(DashboardFilters.parse({ brands: ["o'neill"] }), extent, 0);
    expect(s.silverWhere).toContain("brand IN ('o''neill')");
  });

  it('refuses values the contract does not allow, with a message naming the field', () => {
    const r = DashboardFilters.safeParse({ from: '01/10/2019', hours: [24] });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues.map((i) => i.path))).toContain('from');
    expect(JSON.stringify(r.error?.issues.map((i) => i.path))).toContain('hours');
  });
});

describe('dashboard panels', () => {
  it('guards CSV cells a spreadsheet would run as formulas, keeps numbers', () => {
    const csv = rowsToCsv([
      { name: '=HYPERLINK("x")', value: -3 },
      { name: 'a,b', value: 1.5 },
    ]);
    expect(csv).toBe('name,value\r\n"\'=HYPERLINK(""x"")",-3\r\n"a,b",1.5\r\n');
  });

  it('gives each funnel step its share of the step before', () => {
    const option = funnelOption([
      { step: 'Viewed', sessions: 200 },
      { step: 'Carted', sessions: 50 },
      { step: 'Purchased', sessions: 10 },
    ]) as { series: { label: { formatter: (p: { dataIndex: number }) => string } }[] };
    const label = option.series[0]?.label.formatter;
    expect(label?.({ dataIndex: 1 })).toBe('Carted: 50 · 25.0 % of previous');
    expect(label?.({ dataIndex: 2 })).toBe('Purchased: 10 · 20.0 % of previous');
  });

  it('shades the quietest heatmap cell nearest the background in both themes', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
    };
    const dark = heatmapColours(true).map(luminance);
    const light = heatmapColours(false).map(luminance);
    expect(dark).toEqual([...dark].sort((a, b) => a - b)); // dark theme: quiet = dark, busy = bright
    expect(light).toEqual([...light].sort((a, b) => b - a)); // light theme: quiet = pale, busy = deep
  });
});
