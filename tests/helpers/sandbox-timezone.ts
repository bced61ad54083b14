/**
 * Prints the time zone and a UTC date as a user's session of the query sandbox sees them; run as a child
 * process with TZ set (DuckDB takes the machine's zone from TZ when the process starts).
 */
import { tmpdir } from 'node:os';
import { createSandbox, sandboxLimits } from '../../pipeline/query/sandbox';

const instance = await createSandbox([tmpdir()], sandboxLimits(tmpdir()));
const user = await instance.connect();
const rows = await user.runAndReadAll(
  "SELECT current_setting('TimeZone') AS tz, CAST(CAST(TIMESTAMPTZ '2019-10-01 23:30:00+00' AS DATE) AS VARCHAR) AS day",
);
console.log(JSON.stringify(rows.getRowObjectsJS()[0]));
user.closeSync();
instance.closeSync();
