// node tests/peers/hyparquet/read.mjs FILE [FILE …]
// Reads each Parquet FILE with hyparquet (+ hyparquet-compressors: snappy, gzip, zstd, brotli, lz4, lz4_raw) and
// prints it as a result set in the same shape and with the same value normalisation as the DuckDB peer
// (tests/peers/README.md): the header {"file","columns":[{"name","type","parquet"}],"rowCount":N,"numRows":"N",
// "rowGroups":N,"codecs":["ZSTD",…],"createdBy"} — type is a compact description of the Parquet schema (below), parquet the top-level schema
// element — then one JSON array per row, in file order. Failure: the error on stderr, exit 1.
//
// hyparquet's own conversions are partly lossy, so this script decodes from the physical values where they are:
//   - DECIMAL: hyparquet returns a JS number (loses digits beyond 2^53); the annotation is hidden from it and the
//     unscaled integer is formatted here.
//   - dates and timestamps: the parsers return the raw integer (days / units) instead of a JS Date (milliseconds).
//   - BYTE_ARRAY without a string annotation: read as bytes (utf8: false), not guessed to be text.
//   - INTERVAL (hyparquet throws "not supported") and BSON: hidden from it and decoded here.
//   - JSON: kept as its text, not parsed.
// and hyparquet-compressors' LZ4_RAW decoder fails on LZ4's one-byte encoding of empty input (see `decompressors`).
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { base64, decimalString, jsonLine, jsonNumber, runMain, temporal, UsageError, uuidString, writeLines } from '../duckdb/normalize.mjs';

const usage = 'node tests/peers/hyparquet/read.mjs FILE [FILE …]';

// hyparquet-compressors 1.1.2 reads a match offset after a block's last token even when that token has no literals,
// so the one-byte block 0x00 — LZ4's encoding of empty input, e.g. a writer's empty dictionary page of an all-null
// column — throws "lz4 offset out of range 0". An empty page needs no decoding.
const decompressors = {
  ...compressors,
  LZ4_RAW: (input, outputLength) => (outputLength === 0 ? new Uint8Array(0) : compressors.LZ4_RAW(input, outputLength)),
};
const utf8 = new TextDecoder('utf-8');

runMain(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0 || files.some(f => f.startsWith('--'))) throw new UsageError('read: give one or more Parquet files');
  const lines = [];
  for (const path of files) lines.push(...await readFile(path));
  await writeLines(lines);
}, usage);

/** The result set lines of one file. */
async function readFile(path) {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  // The schema as the file states it (for normalisation), and a copy with the annotations hyparquet would
  // convert lossily removed (for reading).
  const original = metadata.schema.map(e => ({ ...e }));
  const tree = parquetSchema({ schema: original });
  metadata.schema = metadata.schema.map(e => (hidden(e) ? { ...e, converted_type: undefined, logical_type: undefined } : e));

  const raw = v => (typeof v === 'bigint' ? v : BigInt(v));
  const rows = [];
  await parquetRead({
    file,
    metadata,
    compressors: decompressors,
    utf8: false,
    rowFormat: 'array',
    parsers: {
      timestampFromMilliseconds: raw,
      timestampFromMicroseconds: raw,
      timestampFromNanoseconds: raw,
      dateFromDays: v => v,
      jsonFromBytes: bytes => bytes && utf8.decode(bytes),
    },
    onComplete: data => { rows.push(...data); },
  });

  const columns = tree.children.map(node => ({ name: node.element.name, type: describe(node), parquet: elementJson(node.element) }));
  const codecs = [...new Set(metadata.row_groups.flatMap(g => g.columns.map(c => c.meta_data?.codec)).filter(c => c))];
  const lines = [jsonLine({
    file: path, columns, rowCount: rows.length, numRows: String(metadata.num_rows), rowGroups: metadata.row_groups.length,
    codecs, createdBy: metadata.created_by ?? null,
  })];
  for (const row of rows) lines.push(jsonLine(tree.children.map((node, k) => normalizeNode(node, row[k]))));
  return lines;
}

function isDecimal(e) {
  return e.converted_type === 'DECIMAL' || e.logical_type?.type === 'DECIMAL';
}

/** Leaf annotations whose values this script decodes itself. */
function hidden(e) {
  return !e.num_children && (isDecimal(e) || e.converted_type === 'INTERVAL' || e.converted_type === 'BSON' || e.logical_type?.type === 'BSON');
}

function isList(node) {
  const e = node.element;
  return node.children.length === 1 && (e.converted_type === 'LIST' || e.logical_type?.type === 'LIST')
    && node.children[0].element.repetition_type === 'REPEATED';
}

function isMap(node) {
  const e = node.element;
  return node.children.length === 1 && (e.converted_type === 'MAP' || e.converted_type === 'MAP_KEY_VALUE' || e.logical_type?.type === 'MAP')
    && node.children[0].children.length === 2;
}

/** The list's element node, as hyparquet picks it (the repeated group's only child, or the repeated leaf). */
function listElement(node) {
  const repeated = node.children[0];
  return repeated.children.length === 1 ? repeated.children[0] : repeated;
}

/** The normalised value of `value` read for schema node `node`. */
function normalizeNode(node, value) {
  if (value === null || value === undefined) return null;
  if (isList(node)) return Array.from(value, v => normalizeNode(listElement(node), v));
  if (isMap(node)) {
    // hyparquet assembles a map as a JS object: keys became property names (strings).
    const [keyNode, valueNode] = node.children[0].children;
    return Object.entries(value).map(([k, v]) => [normalizeNode(keyNode, keyFromProperty(keyNode, k)), normalizeNode(valueNode, v)]);
  }
  if (node.children.length > 0) {
    const out = {};
    for (const child of node.children) out[child.element.name] = normalizeNode(child, value[child.element.name]);
    return out;
  }
  if (node.element.repetition_type === 'REPEATED' && Array.isArray(value)) {
    // A repeated leaf outside a LIST annotation (legacy two-level lists): an array.
    return value.map(v => normalizeLeaf(node.element, v));
  }
  return normalizeLeaf(node.element, value);
}

function keyFromProperty(node, k) {
  switch (node.element.type) {
    case 'INT32': case 'FLOAT': case 'DOUBLE': return Number(k);
    case 'INT64': case 'INT96': return BigInt(k);
    case 'BOOLEAN': return k === 'true';
    default: return k;
  }
}

const TIME_UNITS = { MILLIS: 'ms', MICROS: 'us', NANOS: 'ns' };

function bytesToBigInt(bytes) {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  if (bytes.length > 0 && (bytes[0] & 0x80) !== 0) v -= 1n << BigInt(bytes.length * 8);
  return v;
}

/** The normalised value of one leaf value. */
function normalizeLeaf(e, v) {
  if (v === null || v === undefined) return null;
  const ct = e.converted_type;
  const lt = e.logical_type;
  if (isDecimal(e)) {
    const scale = lt?.type === 'DECIMAL' ? lt.scale ?? 0 : e.scale ?? 0;
    return decimalString(v instanceof Uint8Array ? bytesToBigInt(v) : BigInt(v), scale);
  }
  if (ct === 'DATE' || lt?.type === 'DATE') return temporal('date', 'day', v);
  if (lt?.type === 'TIMESTAMP') return temporal(lt.isAdjustedToUTC ? 'timestamptz' : 'timestamp', TIME_UNITS[lt.unit], v);
  // Legacy converted types alone mean UTC-adjusted instants (parquet-format LogicalTypes.md).
  if (ct === 'TIMESTAMP_MILLIS') return temporal('timestamptz', 'ms', v);
  if (ct === 'TIMESTAMP_MICROS') return temporal('timestamptz', 'us', v);
  if (lt?.type === 'TIME') return temporal(lt.isAdjustedToUTC ? 'timetz' : 'time', TIME_UNITS[lt.unit], v, lt.isAdjustedToUTC ? { offset: 0 } : undefined);
  if (ct === 'TIME_MILLIS') return temporal('timetz', 'ms', v, { offset: 0 });
  if (ct === 'TIME_MICROS') return temporal('timetz', 'us', v, { offset: 0 });
  if (e.type === 'INT96') return temporal('timestamp', 'ns', v); // the parser turned it into nanoseconds
  if (ct === 'INTERVAL') {
    const view = new DataView(v.buffer, v.byteOffset, v.byteLength);
    return { months: view.getUint32(0, true), days: view.getUint32(4, true), micros: (BigInt(view.getUint32(8, true)) * 1000n).toString() };
  }
  switch (typeof v) {
    case 'boolean': return v;
    case 'number': return jsonNumber(v);
    case 'bigint': return v.toString();
    case 'string': return v;
    default: break;
  }
  if (v instanceof Uint8Array) {
    if (ct === 'UTF8' || ct === 'ENUM' || ct === 'JSON' || ['STRING', 'ENUM', 'JSON'].includes(lt?.type)) return utf8.decode(v);
    if (lt?.type === 'UUID' && v.length === 16) return uuidString(v);
    return base64(v);
  }
  return String(v);
}

/** A compact description of a schema node, e.g. "INT64 TIMESTAMP(MICROS,utc)", "LIST<INT32>", "STRUCT<a: INT32>". */
function describe(node) {
  const e = node.element;
  if (isList(node)) return `LIST<${describe(listElement(node))}>`;
  if (isMap(node)) {
    const [k, v] = node.children[0].children;
    return `MAP<${describe(k)}, ${describe(v)}>`;
  }
  if (node.children.length > 0) return `STRUCT<${node.children.map(c => `${c.element.name}: ${describe(c)}`).join(', ')}>`;
  let text = e.type === 'FIXED_LEN_BYTE_ARRAY' ? `FIXED_LEN_BYTE_ARRAY(${e.type_length})` : e.type;
  const lt = e.logical_type;
  if (lt?.type === 'DECIMAL') text += ` DECIMAL(${lt.precision},${lt.scale})`;
  else if (lt?.type === 'TIMESTAMP' || lt?.type === 'TIME') text += ` ${lt.type}(${lt.unit},${lt.isAdjustedToUTC ? 'utc' : 'local'})`;
  else if (lt?.type === 'INTEGER') text += ` INT(${lt.bitWidth},${lt.isSigned ? 'signed' : 'unsigned'})`;
  else if (lt?.type) text += ` ${lt.type}`;
  else if (ct(e) === 'DECIMAL') text += ` DECIMAL(${e.precision},${e.scale})`;
  else if (ct(e)) text += ` ${ct(e)}`;
  if (e.repetition_type === 'REPEATED') text = `REPEATED ${text}`;
  return text;
}

function ct(e) {
  return e.converted_type;
}

/** The schema element as JSON (bigint fields as strings). */
function elementJson(e) {
  const out = {};
  for (const [k, v] of Object.entries(e)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'bigint' ? v.toString() : v;
  }
  return out;
}
