// The DuckDB peer's core (module): an in-memory database, value normalisation, and the COPY / read_parquet
// statements the scripts run. Used by query.mjs, write.mjs, read.mjs and batch.mjs.
import {
  DuckDBInstance,
  DuckDBArrayValue, DuckDBBitValue, DuckDBBlobValue, DuckDBDateValue, DuckDBDecimalValue, DuckDBIntervalValue,
  DuckDBListValue, DuckDBMapValue, DuckDBStructValue, DuckDBTimeNSValue, DuckDBTimeTZValue, DuckDBTimeValue,
  DuckDBTimestampMillisecondsValue, DuckDBTimestampNanosecondsValue, DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue, DuckDBTimestampValue, DuckDBUUIDValue, DuckDBUnionValue,
} from '@duckdb/node-api';
import { base64, decimalString, infiniteIso, jsonLine, jsonNumber, temporal } from './normalize.mjs';

/** A connection to a new in-memory database with TimeZone = UTC (so TIMESTAMPTZ casts do not depend on the host). */
export async function openDuckDb() {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  return connection;
}

/** The normalised JSON value of one DuckDB value (rules: normalize.mjs). */
export function normalizeDuck(v) {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v;
    case 'number':
      return jsonNumber(v);
    case 'bigint':
      return v.toString();
    default:
      break;
  }
  if (v instanceof DuckDBDecimalValue) return decimalString(v.value, v.scale);
  if (v instanceof DuckDBBlobValue) return base64(v.bytes);
  if (v instanceof DuckDBDateValue) return finite(temporal('date', 'day', v.days), v);
  if (v instanceof DuckDBTimeValue) return temporal('time', 'us', v.micros);
  if (v instanceof DuckDBTimeNSValue) return temporal('time', 'ns', v.nanos);
  if (v instanceof DuckDBTimeTZValue) return temporal('timetz', 'us', v.micros, { offset: v.offset });
  if (v instanceof DuckDBTimestampTZValue) return finite(temporal('timestamptz', 'us', v.micros), v);
  if (v instanceof DuckDBTimestampSecondsValue) return finite(temporal('timestamp', 's', v.seconds), v);
  if (v instanceof DuckDBTimestampMillisecondsValue) return finite(temporal('timestamp', 'ms', v.millis), v);
  if (v instanceof DuckDBTimestampNanosecondsValue) return finite(temporal('timestamp', 'ns', v.nanos), v);
  if (v instanceof DuckDBTimestampValue) return finite(temporal('timestamp', 'us', v.micros), v);
  if (v instanceof DuckDBIntervalValue) return { months: v.months, days: v.days, micros: v.micros.toString() };
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map(normalizeDuck);
  if (v instanceof DuckDBStructValue) {
    const out = {};
    for (const [name, value] of Object.entries(v.entries)) out[name] = normalizeDuck(value);
    return out;
  }
  if (v instanceof DuckDBMapValue) return v.entries.map(e => [normalizeDuck(e.key), normalizeDuck(e.value)]);
  if (v instanceof DuckDBUUIDValue) return v.toString();
  if (v instanceof DuckDBBitValue) return v.toString();
  if (v instanceof DuckDBUnionValue) return { tag: v.tag, value: normalizeDuck(v.value) };
  // Anything newer (GEOMETRY, VARIANT, …): DuckDB's own text.
  return String(v);
}

function finite(t, v) {
  return v.isFinite === false ? infiniteIso(t, BigInt(t.raw) > 0n) : t;
}

/**
 * Runs one SQL statement; returns its result set as JSON lines: the header
 * {"columns":[{"name","type"}],"rowCount":N, ...extra} and then one JSON array per row.
 */
export async function resultSetLines(connection, sql, extra = {}) {
  const reader = await connection.runAndReadAll(sql);
  const names = reader.columnNames();
  const types = reader.columnTypes().map(t => t.toString());
  const rows = reader.getRows();
  const lines = [jsonLine({ ...extra, columns: names.map((name, k) => ({ name, type: types[k] })), rowCount: rows.length })];
  for (const row of rows) lines.push(jsonLine(row.map(normalizeDuck)));
  return lines;
}

/** SQL string literal. */
export function sqlString(text) {
  return "'" + String(text).replaceAll("'", "''") + "'";
}

export const CODECS = ['snappy', 'zstd', 'gzip', 'uncompressed', 'lz4', 'brotli'];
export const VERSIONS = ['v1', 'v2'];

/** The COPY statement that writes the result of `sql` to a Parquet file. */
export function copyStatement({ sql, out, codec = 'snappy', version = 'v1', rowGroupSize }) {
  if (!sql) throw new Error('write: no SQL given');
  if (!out) throw new Error('write: no output file given');
  const c = String(codec).toLowerCase();
  if (!CODECS.includes(c)) throw new Error(`write: codec '${codec}' is not one of ${CODECS.join(', ')}`);
  const v = String(version).toLowerCase();
  if (!VERSIONS.includes(v)) throw new Error(`write: version '${version}' is not v1 or v2`);
  const options = ['FORMAT parquet', `CODEC ${sqlString(c)}`, `PARQUET_VERSION ${v.toUpperCase()}`];
  if (rowGroupSize !== undefined && rowGroupSize !== null) {
    const n = Number(rowGroupSize);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`write: row group size '${rowGroupSize}' is not a positive integer`);
    options.push(`ROW_GROUP_SIZE ${n}`);
  }
  return `COPY (${sql}) TO ${sqlString(out)} (${options.join(', ')})`;
}

/** Runs the COPY; returns its result set lines (header with "file" and "sql"; one row: the number of rows written). */
export async function writeParquet(connection, request) {
  const statement = copyStatement(request);
  return resultSetLines(connection, statement, { file: request.out, sql: statement });
}

/** Result set lines of all rows of read_parquet(file), header with "file" (column types: those of DESCRIBE). */
export async function readParquet(connection, file) {
  if (!file) throw new Error('read: no file given');
  return resultSetLines(connection, `SELECT * FROM read_parquet(${sqlString(file)})`, { file });
}
