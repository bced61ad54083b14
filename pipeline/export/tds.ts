import type { TableauField } from './tableau-fields';
import { attributes, escapeXml } from './xml';

/** ADO type codes Tableau's text connector records for each datatype in metadata records. */
const REMOTE_TYPE: Record<TableauField['datatype'], number> = {
  string: 129,
  integer: 20,
  real: 5,
  date: 133,
  datetime: 135,
  boolean: 11,
};

export interface TdsSource {
  /** The data source's name in Tableau (the Gold table's name). */
  caption: string;
  /** Folder holding the CSV: absolute for a loose .tds, relative inside a .tdsx. */
  directory: string;
  filename: string;
  fields: TableauField[];
}

/** "funnel_daily" → "Funnel Daily": how Tableau itself captions a column it reads. */
export function caption(name: string): string {
  return name
    .split('_')
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(' ');
}

/**
 * A Tableau data source in Tableau's own layout: a federated connection holding a textscan named
 * connection to the CSV, a relation listing every column with datatype and ordinal, metadata records,
 * and one top-level column per field with its role and type, so Tableau opens it typed without set-up.
 */
export function renderTds(source: TdsSource): string {
  const connectionName = `textscan.${hashName(source.caption)}`;
  const relationName = source.filename;
  const table = `[${source.filename.replace(/\./g, '#')}]`;
  const relationColumns = source.fields.map(
    (f, ordinal) => `        <column ${attributes({ datatype: f.datatype, name: f.name, ordinal })} />`,
  );
  const records = source.fields.map((f, ordinal) =>
    [
      `      <metadata-record class='column'>`,
      `        <remote-name>${escapeXml(f.name)}</remote-name>`,
      `        <remote-type>${REMOTE_TYPE[f.datatype]}</remote-type>`,
      `        <local-name>${escapeXml(`[${f.name}]`)}</local-name>`,
      `        <parent-name>${escapeXml(`[${relationName}]`)}</parent-name>`,
      `        <remote-alias>${escapeXml(f.name)}</remote-alias>`,
      `        <ordinal>${ordinal}</ordinal>`,
      `        <local-type>${f.datatype}</local-type>`,
      `        <aggregation>${f.aggregation}</aggregation>`,
      `        <contains-null>true</contains-null>`,
      `      </metadata-record>`,
    ].join('\n'),
  );
  const columns = source.fields.map((f) => {
    const values: Record<string, string> = {
      caption: caption(f.name),
      datatype: f.datatype,
      name: `[${f.name}]`,
      role: f.role,
      type: f.type,
    };
    if (f.role === 'measure') values.aggregation = f.aggregation;
    if (f.percent) values['default-format'] = 'p0.00%';
    return `  <column ${attributes(values)} />`;
  });
  return [
    `<?xml version='1.0' encoding='utf-8' ?>`,
    `<datasource ${attributes({ 'formatted-name': source.caption, inline: 'true', version: '18.1' })} xmlns:user='http://www.tableausoftware.com/xml/user'>`,
    `  <connection class='federated'>`,
    `    <named-connections>`,
    `      <named-connection ${attributes({ caption: source.caption, name: connectionName })}>`,
    `        <connection ${attributes({ class: 'textscan', directory: source.directory, filename: source.filename, password: '', server: '' })} />`,
    `      </named-connection>`,
    `    </named-connections>`,
    `    <relation ${attributes({ connection: connectionName, name: relationName, table, type: 'table' })}>`,
    `      <columns character-set='UTF-8' header='yes' locale='en_US' separator=','>`,
    ...relationColumns,
    `      </columns>`,
    `    </relation>`,
    `    <metadata-records>`,
    ...records,
    `    </metadata-records>`,
    `  </connection>`,
    `  <aliases enabled='yes' />`,
    ...columns,
    `  <layout dim-ordering='alphabetic' measure-ordering='alphabetic' show-structure='true' />`,
    `</datasource>`,
    '',
  ].join('\n');
}

/** A stable suffix for the named connection, as Tableau gives each connection a unique id. */
function hashName(text: string): string {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619) >>> 0;
  return h.toString(36).padStart(7, '0');
}
