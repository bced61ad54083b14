/** The query bar's syntax, one click away. */
export function QuerySyntax() {
  return (
    <details className="explore-syntax">
      <summary>Syntax</summary>
      <ul>
        <li>
          <code>brand:apple</code> a field equals a value (text ignores case);{' '}
          <code>brand:"dr. martens"</code> quotes keep spaces
        </li>
        <li>
          <code>price&gt;100</code> <code>price&lt;=5</code> <code>hour&gt;=20</code>{' '}
          <code>date:2019-10-01</code> compare numbers and dates
        </li>
        <li>
          <code>-event_type:view</code> excludes; terms combine with AND
        </li>
        <li>
          <code>iphone</code> free text in brand, category code, product, user and session
        </li>
        <li>
          Fields: event_type, brand, category_code (category), category_l1…l3, product_id (product), user_id
          (user), session_id (session), user_session, order_id, event_id, price, hour, date, topic, partition,
          offset, source_id, source_row
        </li>
      </ul>
    </details>
  );
}
