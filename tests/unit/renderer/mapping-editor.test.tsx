import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MappingEditor } from '../../../renderer/src/screens/replay/MappingEditor';

const columns = [
  { name: 'ts', type: 'BIGINT' },
  { name: 'action', type: 'VARCHAR' },
  { name: 'visitor', type: 'VARCHAR' },
];

/** The component as React renders it: a table row per canonical field. */
function render(mapping: Record<string, string>, constantEventType: string | null = null): string {
  return renderToStaticMarkup(
    <MappingEditor
      columns={columns}
      mapping={mapping}
      constantEventType={constantEventType}
      onChange={() => undefined}
    />,
  );
}

const row = (html: string, field: string) => {
  const rows = html.split('<tr').filter((r) => r.includes(`<code>${field}</code>`));
  return rows[0] ?? '';
};

describe('MappingEditor', () => {
  it('offers every source column with its type for every canonical field', () => {
    const html = render({});
    expect(html.match(/aria-label="Source column for /g)).toHaveLength(10);
    expect(row(html, 'price')).toContain('<option value="visitor">visitor — VARCHAR</option>');
  });

  it('marks unmapped required fields as invalid and leaves mapped and optional ones alone', () => {
    const html = render({ event_time: 'ts' });
    expect(row(html, 'event_time')).not.toContain('aria-invalid');
    expect(row(html, 'event_type')).toContain('aria-invalid="true"');
    expect(row(html, 'user_id')).toContain('required</span>');
    expect(row(html, 'brand')).not.toContain('aria-invalid');
    expect(row(html, 'event_time')).toContain('<option value="ts" selected="">ts — BIGINT</option>');
  });

  it('accepts a constant event type (purchase history) in place of an event_type column', () => {
    const html = render({ event_time: 'ts', user_id: 'visitor' }, 'purchase');
    expect(row(html, 'event_type')).not.toContain('aria-invalid');
    expect(row(html, 'event_type')).toContain('(every row: purchase)');
  });
});
