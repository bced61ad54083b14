import type { SourceInspection } from '../../../../pipeline/contract';

type Mapping = SourceInspection['mapping'];
type Field = keyof Mapping;

const FIELDS: { field: Field; label: string; required?: boolean }[] = [
  { field: 'event_time', label: 'Event time', required: true },
  { field: 'event_type', label: 'Event type', required: true },
  { field: 'user_id', label: 'User id', required: true },
  { field: 'user_session', label: 'Session' },
  { field: 'product_id', label: 'Product id' },
  { field: 'category_id', label: 'Category id' },
  { field: 'category_code', label: 'Category code' },
  { field: 'brand', label: 'Brand' },
  { field: 'price', label: 'Price' },
  { field: 'order_id', label: 'Order id' },
];

/** Which source column feeds each field of the canonical event; required fields are marked and checked. */
export function MappingEditor(props: {
  columns: SourceInspection['columns'];
  mapping: Mapping;
  constantEventType: string | null;
  onChange: (mapping: Mapping) => void;
}) {
  return (
    <table className="mapping" aria-label="Column mapping">
      <thead>
        <tr>
          <th scope="col">Canonical field</th>
          <th scope="col">Source column</th>
        </tr>
      </thead>
      <tbody>
        {FIELDS.map(({ field, label, required }) => {
          const value = props.mapping[field] ?? '';
          const constant = field === 'event_type' && props.constantEventType;
          const missing = required && !value && !constant;
          return (
            <tr key={field} className={missing ? 'missing' : undefined}>
              <th scope="row">
                {label} <code>{field}</code>
                {required && (
                  <span className="required" aria-label="required">
                    {' '}
                    *
                  </span>
                )}
              </th>
              <td>
                <select
                  aria-label={`Source column for ${field}`}
                  aria-invalid={missing ? true : undefined}
                  value={value}
                  onChange={(e) => {
                    const others = Object.entries(props.mapping).filter(([f]) => f !== field);
                    props.onChange(
                      Object.fromEntries(e.target.value ? [...others, [field, e.target.value]] : others),
                    );
                  }}
                >
                  <option value="">{constant ? `(every row: ${props.constantEventType})` : '(none)'}</option>
                  {props.columns.map((c) => (
                    <option key={c.name} value={c.name}>
                      {c.name} — {c.type}
                    </option>
                  ))}
                </select>
                {missing && <span className="error-text"> required</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
