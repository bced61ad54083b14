import { useCallback, useEffect, useState } from 'react';
import { GOLD_GRAIN_KEYS, type LineageRows, type RecordLineage } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { queryRows } from '../../api/queryRows';
import { DataGrid } from '../../components/grid/DataGrid';
import { formatCellValue } from '../../components/grid/cell-format';
import { formatDecimal, formatInteger } from '../../lib/format';
import { readHashParams, writeHashParams } from './hash-params';
import { describeCondition, describeSessions, parseJson, type LineageTarget } from './lineage-link';
import { cellOf } from './rows';
import './explore.css';

const TABLES = Object.keys(GOLD_GRAIN_KEYS);

const fromHash = (): LineageTarget => {
  const p = readHashParams();
  const table = TABLES.includes(p.get('table') ?? '') ? (p.get('table') as string) : 'funnel_daily';
  const where = parseJson<LineageTarget['where']>(p.get('where'), []);
  const sessions = parseJson<LineageTarget['sessions']>(p.get('sessions'), undefined);
  const scoped = where.length > 0 || sessions !== undefined;
  // A drill over several rows gives only the keys it fixes; one row has a box for each.
  const key = Object.fromEntries(
    (GOLD_GRAIN_KEYS[table] ?? []).map((k) => [k, p.get(k) ?? '']).filter(([, v]) => !scoped || v !== ''),
  );
  return {
    table,
    key,
    where: Array.isArray(where) ? where : [],
    sessions,
    figure: p.get('figure') ?? undefined,
  };
};

const oneRow = (table: string): LineageTarget => ({
  table,
  key: Object.fromEntries((GOLD_GRAIN_KEYS[table] ?? []).map((k) => [k, ''])),
  where: [],
});

/**
 * "Show the events behind this": a Gold row's grain keys select the Silver rows that produced it; each of
 * those opens to its Bronze record (topic, partition, offset, value, headers) and the source line.
 */
export function LineageScreen() {
  const [target, setTarget] = useState(fromHash);
  const { table, key, where, sessions, figure } = target;
  const scoped = where.length > 0 || sessions !== undefined;
  const [gold, setGold] = useState<{ table: string; rows: Record<string, unknown>[] }>();
  const [drill, setDrill] = useState<{ key: string; rows?: LineageRows; error?: string }>();
  const [traced, setTraced] = useState<{
    key: string;
    record?: RecordLineage & { at: string };
    error?: string;
  }>();
  const drillKey = JSON.stringify([table, key, where, sessions ?? null, figure ?? null]);
  const keys = GOLD_GRAIN_KEYS[table] ?? [];
  const complete = scoped || keys.every((k) => key[k]);
  const request = { table, key, where, ...(sessions ? { sessions } : {}) };

  // A link followed while the screen is open (back, forward, another drill) is the new target; the screen's
  // own writes replace the state without a hashchange.
  useEffect(() => {
    const follow = () => window.location.hash.startsWith('#/lineage') && setTarget(fromHash());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  useEffect(() => {
    let live = true;
    const keyText = keys.map((k) => `CAST("${k}" AS VARCHAR) AS "__key_${k}"`).join(', ');
    queryRows(`SELECT ${keyText}, * FROM gold."${table}" LIMIT 200`, 200).then(
      (rows) => live && setGold({ table, rows }),
      () => live && setGold({ table, rows: [] }),
    );
    return () => {
      live = false;
    };
    // keys follow table
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [table]);

  useEffect(() => {
    const [t, k, w, ss, f] = JSON.parse(drillKey) as [
      string,
      Record<string, string>,
      LineageTarget['where'],
      LineageTarget['sessions'] | null,
      string | null,
    ];
    writeHashParams('lineage', {
      table: t,
      ...k,
      ...(w.length ? { where: JSON.stringify(w) } : {}),
      ...(ss ? { sessions: JSON.stringify(ss) } : {}),
      ...(f ? { figure: f } : {}),
    });
    if (!complete) return;
    let live = true;
    api()
      .call('lineage.rows', { table: t, key: k, where: w, ...(ss ? { sessions: ss } : {}), limit: 200 })
      .then(
        (rows) => live && setDrill({ key: drillKey, rows }),
        (e: unknown) =>
          live && setDrill({ key: drillKey, error: e instanceof Error ? e.message : String(e) }),
      );
    return () => {
      live = false;
    };
  }, [drillKey, complete]);
  const goldRows = gold?.table === table ? gold.rows : undefined;
  const drilled = drill?.key === drillKey ? drill.rows : undefined;
  const record = traced?.key === drillKey ? traced.record : undefined;
  const error =
    (drill?.key === drillKey ? drill.error : undefined) ??
    (traced?.key === drillKey ? traced.error : undefined);

  const fetchRows = useCallback(
    async (offset: number, limit: number) => {
      if (drilled && offset + limit <= drilled.rows.length) return drilled.rows.slice(offset, offset + limit);
      return (await api().call('lineage.rows', { ...request, offset, limit })).rows;
    },
    // request is rebuilt from these on each render
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [drilled, drillKey],
  );

  const trace = async (row: unknown[]) => {
    if (!drilled) return;
    const at = {
      topic: String(cellOf(drilled, row, 'topic')),
      partition: Number(cellOf(drilled, row, 'partition')),
      offset: Number(cellOf(drilled, row, 'offset')),
    };
    try {
      const found = await api().call('lineage.record', at);
      setTraced({ key: drillKey, record: { ...found, at: `${at.topic}/${at.partition}@${at.offset}` } });
    } catch (e) {
      setTraced({ key: drillKey, error: e instanceof Error ? e.message : String(e) });
    }
  };

  const figures = drilled?.gold ? Object.entries(drilled.gold).filter(([k]) => !keys.includes(k)) : [];
  const goldColumns = goldRows?.[0] ? Object.keys(goldRows[0]).filter((c) => !c.startsWith('__key_')) : [];

  return (
    <div className="lineage-screen">
      <form className="lineage-keys" aria-label="Gold row" onSubmit={(e) => e.preventDefault()}>
        <label>
          Gold table{' '}
          <select
            aria-label="Gold table"
            value={table}
            onChange={(e) => {
              setTarget(oneRow(e.target.value));
            }}
          >
            {TABLES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        {!scoped &&
          keys.map((k) => (
            <label key={k}>
              {k}{' '}
              <input
                aria-label={k}
                value={key[k] ?? ''}
                onChange={(e) => setTarget({ ...target, key: { ...key, [k]: e.target.value } })}
              />
            </label>
          ))}
      </form>
      {error && (
        <div role="alert" className="banner error">
          {error}
        </div>
      )}
      {!complete && (
        <section className="panel" aria-label={`Rows of gold.${table}`}>
          <h2>gold.{table}: pick a row to see the events behind it</h2>
          {goldRows === undefined && <p className="muted">Reading gold.{table}…</p>}
          {goldRows?.length === 0 && (
            <p className="muted">gold.{table} is not built yet: replay a file into the lake.</p>
          )}
          {goldRows && goldRows.length > 0 && (
            <div className="explore-scroll">
              <table className="explore-table">
                <thead>
                  <tr>
                    <th />
                    {goldColumns.map((c) => (
                      <th key={c}>{c}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {goldRows.map((r, i) => (
                    <tr key={i}>
                      <td>
                        <button
                          type="button"
                          onClick={() =>
                            setTarget({
                              table,
                              key: Object.fromEntries(keys.map((k) => [k, String(r[`__key_${k}`])])),
                              where: [],
                            })
                          }
                        >
                          Show the events behind this
                        </button>
                      </td>
                      {goldColumns.map((c) => (
                        <td key={c}>
                          {keys.includes(c)
                            ? String(r[`__key_${c}`])
                            : formatCellValue(
                                r[c],
                                typeof r[c] === 'number' && !Number.isInteger(r[c]) ? 'DOUBLE' : '',
                              )}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      {complete && drilled && (
        <>
          <section className="panel" aria-label="Gold figures">
            {scoped ? (
              <>
                <h2>The events behind {figure ?? `a figure of gold.${table}`}</h2>
                <button type="button" onClick={() => setTarget(oneRow(table))}>
                  Rows of gold.{table}
                </button>
              </>
            ) : (
              <h2>
                gold.{table} {keys.map((k) => `${k} = ${key[k]}`).join(', ')}{' '}
                <button type="button" onClick={() => setTarget(oneRow(table))}>
                  Another row
                </button>
              </h2>
            )}
            {scoped ? (
              <ul className="lineage-conditions" aria-label="Conditions on Silver">
                {[
                  ...Object.entries(key).map(([k, v]) => `${k} = ${v}`),
                  ...where.map(describeCondition),
                  ...(sessions ? [describeSessions(sessions)] : []),
                ].map((text) => (
                  <li key={text}>{text}</li>
                ))}
              </ul>
            ) : drilled.gold ? (
              <dl className="facts">
                {figures.map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>
                      {v === null
                        ? 'null'
                        : typeof v === 'number' && !Number.isInteger(v)
                          ? v.toFixed(4)
                          : String(v)}
                    </dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="muted">No Gold row has these keys.</p>
            )}
            <p>
              <strong>{formatInteger(drilled.total)}</strong> Silver events behind it (Silver filtered by{' '}
              {scoped ? 'the conditions above' : drilled.grain.join(', ')}).
            </p>
            <p className="lineage-figures" aria-label="Re-aggregated">
              Re-aggregated: {formatInteger(drilled.figures.views)} views ·{' '}
              {formatInteger(drilled.figures.carts)} carts · {formatInteger(drilled.figures.purchases)}{' '}
              purchases · {formatDecimal(drilled.figures.revenue)} USD revenue
              {drilled.figures.sessions !== null && (
                <>
                  {' '}
                  · {formatInteger(drilled.figures.sessions)} sessions ·{' '}
                  {formatInteger(drilled.figures.users ?? 0)} users
                </>
              )}
            </p>
          </section>
          <div className="explore-grid">
            <DataGrid
              label="Silver rows behind the figure"
              columns={drilled.columns}
              totalRows={drilled.total}
              fetchRows={fetchRows}
            />
          </div>
          <section className="panel" aria-label="Trace an event">
            <h2>Trace an event to Bronze and its source line</h2>
            <div className="explore-scroll">
              <table className="explore-table">
                <tbody>
                  {drilled.rows.slice(0, 50).map((row) => (
                    <tr key={String(cellOf(drilled, row, 'event_id'))}>
                      <td>
                        <button type="button" onClick={() => void trace(row)}>
                          Trace
                        </button>
                      </td>
                      <td>{formatCellValue(cellOf(drilled, row, 'event_time'), 'TIMESTAMP')}</td>
                      <td>{String(cellOf(drilled, row, 'event_type'))}</td>
                      <td>{String(cellOf(drilled, row, 'user_id'))}</td>
                      <td>
                        {String(cellOf(drilled, row, 'topic'))}/{String(cellOf(drilled, row, 'partition'))}@
                        {String(cellOf(drilled, row, 'offset'))}
                      </td>
                      <td>
                        {String(cellOf(drilled, row, 'source_id'))} row{' '}
                        {String(cellOf(drilled, row, 'source_row'))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {record && <RecordPanel record={record} />}
          </section>
        </>
      )}
    </div>
  );
}

function RecordPanel({ record }: { record: RecordLineage & { at: string } }) {
  const { bronze, source } = record;
  return (
    <div className="lineage-record" aria-label={`Lineage of ${record.at}`} role="region">
      <h3>Bronze record {record.at}</h3>
      {bronze ? (
        <dl className="facts">
          <div>
            <dt>Kafka timestamp</dt>
            <dd>{bronze.kafkaTimestamp}</dd>
          </div>
          <div>
            <dt>Key</dt>
            <dd>{bronze.key ?? 'null'}</dd>
          </div>
          <div>
            <dt>Headers</dt>
            <dd>
              <pre>{JSON.stringify(bronze.headers, null, 1)}</pre>
            </dd>
          </div>
          <div>
            <dt>Value</dt>
            <dd>
              <pre>{bronze.value}</pre>
            </dd>
          </div>
          <div>
            <dt>File</dt>
            <dd>{bronze.file}</dd>
          </div>
        </dl>
      ) : (
        <p className="muted">This offset is not in Bronze (deleted by retention or a rebuild).</p>
      )}
      <h3>Source</h3>
      {source ? (
        <dl className="facts">
          <div>
            <dt>File</dt>
            <dd>{source.path ?? source.sourceId}</dd>
          </div>
          <div>
            <dt>Row</dt>
            <dd>
              {source.row}
              {source.line !== null && ` (line ${source.line})`}
            </dd>
          </div>
          <div>
            <dt>Line</dt>
            <dd>
              <pre aria-label="Source line">{source.text ?? source.note}</pre>
            </dd>
          </div>
        </dl>
      ) : (
        <p className="muted">The record has no lineage headers.</p>
      )}
    </div>
  );
}
