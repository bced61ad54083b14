import { describe, expect, it } from 'vitest';
import type { BrokerMessage } from '../../../pipeline/contract';
import {
  messagesToCsv,
  messagesToJson,
  parseTime,
  prettyValue,
  searchMessages,
} from '../../../renderer/src/screens/topics/message-tools';

const message = (
  offset: number,
  key: string | null,
  value: string | null,
  headers: [string, string][] = [],
) =>
  ({
    offset,
    timestamp: '2019-10-01T00:00:00.000Z',
    key,
    value,
    encoding: 'utf8',
    headers: headers.map(([k, v]) => ({ key: k, value: v })),
    sizeBytes: 40,
  }) satisfies BrokerMessage;

const messages = [
  message(0, 'user-1', '{"event_type":"view","price":1.5}', [['source', 'replay']]),
  message(1, 'user-2', '{"event_type":"cart"}', [['source', 'kcat']]),
  message(2, null, 'plain, "quoted" text'),
];

describe('searching the loaded messages', () => {
  it('matches a substring of the key, the value or a header, ignoring case', () => {
    expect(searchMessages(messages, 'USER-2').map((m) => m.offset)).toEqual([1]);
    expect(searchMessages(messages, 'view').map((m) => m.offset)).toEqual([0]);
    expect(searchMessages(messages, 'kcat').map((m) => m.offset)).toEqual([1]);
    expect(searchMessages(messages, 'source').map((m) => m.offset)).toEqual([0, 1]);
  });

  it('keeps everything for an empty query and searches only the chosen fields', () => {
    expect(searchMessages(messages, '  ')).toHaveLength(3);
    expect(searchMessages(messages, 'user', { key: false, value: true, headers: false })).toEqual([]);
    expect(searchMessages(messages, 'replay', { key: true, value: true, headers: false })).toEqual([]);
  });
});

describe('showing a value', () => {
  it('pretty-prints JSON and leaves other text alone', () => {
    expect(prettyValue('{"a":1}')).toEqual({ text: '{\n  "a": 1\n}', json: true });
    expect(prettyValue('{not json')).toEqual({ text: '{not json', json: false });
    expect(prettyValue('42')).toEqual({ text: '42', json: false });
    expect(prettyValue(null)).toEqual({ text: 'null', json: false });
  });
});

describe('reading a time to jump to', () => {
  it('reads UTC date-times in the dataset style and ISO style', () => {
    expect(parseTime('2019-10-01 00:17:26')).toEqual({ ms: Date.UTC(2019, 9, 1, 0, 17, 26) });
    expect(parseTime('2019-10-01T00:17:26Z')).toEqual({ ms: Date.UTC(2019, 9, 1, 0, 17, 26) });
    expect(parseTime('2019-10-01')).toEqual({ ms: Date.UTC(2019, 9, 1) });
    expect(parseTime('2019-10-01 02:00+02:00')).toEqual({ ms: Date.UTC(2019, 9, 1) });
  });

  it('says what is wrong with anything else', () => {
    expect(parseTime('')).toEqual({ error: 'Enter a time, e.g. 2019-10-01 00:17:26 (UTC).' });
    expect(parseTime('yesterday')).toEqual({
      error: '"yesterday" is not a time: use YYYY-MM-DD HH:MM:SS (UTC).',
    });
    expect(parseTime('2019-13-45')).toEqual({ error: '"2019-13-45" is not a valid date.' });
    expect(parseTime('1960-01-01')).toEqual({ error: 'Times before 1970 are not allowed.' });
  });
});

describe('downloading the shown messages', () => {
  it('writes CSV with a header and quoting', () => {
    const lines = messagesToCsv(messages).split('\r\n');
    expect(lines[0]).toBe('offset,timestamp,key,value,headers,encoding,size_bytes');
    expect(lines[1]).toBe(
      '0,2019-10-01T00:00:00.000Z,user-1,"{""event_type"":""view"",""price"":1.5}",source=replay,utf8,40',
    );
    expect(lines[3]).toBe('2,2019-10-01T00:00:00.000Z,,"plain, ""quoted"" text",,utf8,40');
  });

  it('neutralizes formula cells in the CSV download (OWASP CSV injection)', () => {
    const hostile = [message(5, '=HYPERLINK("http://evil.example","x")', '-2+3', [['@cmd', '+SUM(A1)']])];
    const line = messagesToCsv(hostile).split('\r\n')[1];
    expect(line).toBe(
      `5,2019-10-01T00:00:00.000Z,"'=HYPERLINK(""http://evil.example"",""x"")","'-2+3","'@cmd=+SUM(A1)",utf8,40`,
    );
  });

  it('writes JSON with JSON values embedded as objects', () => {
    const parsed = JSON.parse(messagesToJson('clicks', 0, messages)) as Record<string, unknown>[];
    expect(parsed[0]).toMatchObject({
      topic: 'clicks',
      partition: 0,
      offset: 0,
      key: 'user-1',
      value: { event_type: 'view', price: 1.5 },
      headers: [{ key: 'source', value: 'replay' }],
    });
    expect(parsed[2]).toMatchObject({ key: null, value: 'plain, "quoted" text' });
  });
});
