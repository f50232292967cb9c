// JSON normalization of Arrow values, shared by generate.mjs (expected values) and dump.mjs (values read back).
//
// The rules (tests/peers/README.md): 8/16/32-bit integers and floats as JSON numbers (NaN and ±Infinity as the
// strings "NaN", "Infinity", "-Infinity"); 64-bit integers as decimal strings; decimals as their unscaled integer
// as a decimal string; bool as bool; strings as strings; binary and fixed-size binary as base64; dates, timestamps,
// times and durations as their integer storage value as a decimal string; lists and fixed-size lists as arrays;
// structs as objects; maps as arrays of [key, value]; dictionary-encoded values as their decoded value; null as null.
//
// Values are read from the column's storage (apache-arrow's getters convert temporal values to milliseconds, which
// loses precision), so what is compared is exactly what the file holds.
import { Type, Vector } from 'apache-arrow';

export function jsonNumber(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return x;
}

export function base64(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Two's-complement little-endian 32-bit words (a decimal's storage) to a BigInt. */
export function wordsToBigInt(words) {
  let v = 0n;
  for (let k = words.length - 1; k >= 0; k--) v = (v << 32n) | BigInt(words[k] >>> 0);
  const bits = BigInt(words.length * 32);
  if (words.length > 0 && (words[words.length - 1] & 0x80000000) !== 0) v -= 1n << bits;
  return v;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function bytesAt(data, i) {
  const begin = Number(data.valueOffsets[i]);
  const end = Number(data.valueOffsets[i + 1]);
  return data.values.subarray(begin, end);
}

/** The normalized value of row i of one chunk (apache-arrow Data). */
export function normalizeData(data, i) {
  const type = data.type;
  if (type.typeId === Type.Null) return null;
  if (!data.getValid(i)) return null;
  switch (type.typeId) {
    case Type.Int:
      return type.bitWidth === 64 ? String(data.values[i]) : data.values[i];
    case Type.Float:
      if (type.precision === 0) return jsonNumber(new Vector([data]).get(i)); // half float
      return jsonNumber(data.values[i]);
    case Type.Bool: {
      const bit = data.offset + i;
      return (data.values[bit >> 3] & (1 << (bit % 8))) !== 0;
    }
    case Type.Utf8:
    case Type.LargeUtf8:
      return utf8.decode(bytesAt(data, i));
    case Type.Binary:
    case Type.LargeBinary:
      return base64(bytesAt(data, i));
    case Type.FixedSizeBinary:
      return base64(data.values.subarray(data.stride * i, data.stride * (i + 1)));
    case Type.Date:
    case Type.Timestamp:
    case Type.Time:
    case Type.Duration:
      return String(data.values[i]);
    case Type.Decimal:
      return wordsToBigInt(data.values.subarray(data.stride * i, data.stride * (i + 1))).toString();
    case Type.List:
    case Type.LargeList: {
      const begin = Number(data.valueOffsets[i]);
      const end = Number(data.valueOffsets[i + 1]);
      const out = [];
      for (let j = begin; j < end; j++) out.push(normalizeData(data.children[0], j));
      return out;
    }
    case Type.FixedSizeList: {
      const n = type.listSize;
      const out = [];
      for (let j = i * n; j < (i + 1) * n; j++) out.push(normalizeData(data.children[0], j));
      return out;
    }
    case Type.Struct: {
      const out = {};
      type.children.forEach((field, k) => { out[field.name] = normalizeData(data.children[k], i); });
      return out;
    }
    case Type.Map: {
      const begin = Number(data.valueOffsets[i]);
      const end = Number(data.valueOffsets[i + 1]);
      const entries = data.children[0];
      const out = [];
      for (let j = begin; j < end; j++) {
        out.push([normalizeData(entries.children[0], j), normalizeData(entries.children[1], j)]);
      }
      return out;
    }
    case Type.Dictionary:
      return normalizeVector(data.dictionary, Number(data.values[i]));
    default:
      return genericJson(new Vector([data]).get(i));
  }
}

/** The normalized value of row i of a (possibly chunked) apache-arrow Vector. */
export function normalizeVector(vector, i) {
  let base = 0;
  for (const chunk of vector.data) {
    if (i < base + chunk.length) return normalizeData(chunk, i - base);
    base += chunk.length;
  }
  throw new RangeError(`index ${i} out of range (length ${base})`);
}

function genericJson(v) {
  if (v == null) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return jsonNumber(v);
  if (ArrayBuffer.isView(v)) return Array.from(v, genericJson);
  if (Array.isArray(v)) return v.map(genericJson);
  if (typeof v.toJSON === 'function') return genericJson(v.toJSON());
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, genericJson(x)]));
  return v;
}

/** {name: [normalized values over all batches]} for the given schema and record batches. */
export function normalizeBatches(schema, batches) {
  const columns = {};
  schema.fields.forEach((field, k) => {
    const values = [];
    for (const batch of batches) {
      const data = batch.data.children[k];
      for (let i = 0; i < batch.numRows; i++) values.push(normalizeData(data, i));
    }
    columns[field.name] = values;
  });
  return columns;
}

export function mapToObject(map) {
  return Object.fromEntries(map ?? []);
}

// apache-arrow writes an empty field name as no name and reads no name as null: read null back as "" (what the
// format means), so that a summary does not change from one round trip to the next.
export function emptyNamesForNull(fields) {
  for (const field of fields) {
    if (field.name == null) field.name = '';
    if (field.type?.children) emptyNamesForNull(field.type.children);
    if (field.type?.dictionary?.children) emptyNamesForNull(field.type.dictionary.children);
  }
}
