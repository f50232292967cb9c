// node tests/peers/arrow/generate.mjs OUTDIR
//
// Builds a 1,000-row table with apache-arrow itself (3 record batches: 400/400/200 rows) and writes
//   OUTDIR/js.arrow          the IPC file
//   OUTDIR/js.arrows         the IPC stream
//   OUTDIR/js.expected.json  {"columns":{name:[values...]}, ...} with JSON-normalized values (normalize.mjs)
// Every value is a simple function of the row index i (0..999); nullable columns are null where i % 7 == 0.
// The formulas are listed in tests/peers/README.md (keep the two in step). Before exiting, the script reads both
// files back and checks that they hold exactly the expected values.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Binary, Bool, DateDay, DateMillisecond, Decimal, Dictionary, DurationMillisecond, Field, FixedSizeBinary,
  FixedSizeList, Float32, Float64, Int16, Int32, Int64, Int8, LargeUtf8, List, Map_, RecordBatch,
  RecordBatchFileWriter, RecordBatchReader, RecordBatchStreamWriter, Schema, Struct, TimeMicrosecond,
  TimeMillisecond, TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond, TimestampSecond, Uint16,
  Uint32, Uint64, Uint8, Utf8, makeData, util, vectorFromArray,
} from 'apache-arrow';
import { base64, mapToObject, normalizeBatches } from './normalize.mjs';

const ROWS = 1000;
const BATCHES = [400, 400, 200];
const isNull = (i) => i % 7 === 0;
const DICT = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
const SCHEMA_METADATA = new Map([['origin', 'apache-arrow-js']]);
const INT32_METADATA = new Map([['larder.formula', 'i*3-1000']]);

// --- the values, as functions of the row index i (BigInt where the storage is 64-bit or wider) ---------------------
const B = BigInt;
const f = {
  int8: (i) => (i % 256) - 128,
  int16: (i) => i * 37 - 20000,
  int32: (i) => i * 3 - 1000,
  int64: (i) => (B(i) - 500n) * 1000000000000000n + B(i),
  uint8: (i) => i % 256,
  uint16: (i) => i * 65,
  uint32: (i) => i * 4000000 + 7,
  uint64: (i) => B(i) * 10000000000000000n + 1n,
  float32: (i) => i * 0.5 - 100,
  float64: (i) => i / 3,
  bool: (i) => i % 3 === 0,
  utf8: (i) => `row-${i}` + (i % 5 === 0 ? '-αβ' : ''),
  large_utf8: (i) => `large-${i}`,
  binary: (i) => Uint8Array.from({ length: i % 5 }, (_, k) => (i + k) % 256),
  fixed_size_binary: (i) => Uint8Array.of(i & 255, (i >> 8) & 255, (i * 3) & 255, 255 - (i & 255)),
  date32: (i) => i * 30 - 10000,
  date64: (i) => (B(i) * 30n - 10000n) * 86400000n,
  timestamp_s: (i) => 1600000000n + B(i) * 86400n,
  timestamp_ms_utc: (i) => 1600000000000n + B(i) * 3600001n,
  timestamp_us: (i) => 1600000000000000n + B(i) * 1000001n,
  timestamp_ns_utc: (i) => 1600000000000000000n + B(i) * 1000000007n,
  time32_ms: (i) => i * 60000 + 123,
  time64_us: (i) => B(i) * 86000000n + 1n,
  duration_ms: (i) => (B(i) - 500n) * 1000n + 1n,
  decimal128: (i) => (B(i) - 500n) * 123456789012345678n,
  list_int32: (i) => Array.from({ length: i % 4 }, (_, k) => i + k),
  fixed_size_list_float64: (i) => [i * 1.5, i + 0.25, 1000 - i],
  struct: (i) => ({ a: i * 2, b: `s${i}` }),
  map: (i) => Array.from({ length: i % 3 }, (_, k) => [`k${k}`, i * 10 + k]),
  dictionary: (i) => DICT[i % 6],
};

// --- the columns: type, nullability, how apache-arrow builds one batch, and the JSON-normalized expected value ------
// build: 'storage' fills a typed array of the type's storage with raw values (exact for 64-bit and temporal types);
//        'builder' goes through apache-arrow's builders (vectorFromArray); 'decimal' and 'dictionary' are special.
const str = (x) => String(x);
const columns = [
  { name: 'int8', type: new Int8(), build: 'storage', json: f.int8 },
  { name: 'int16', type: new Int16(), build: 'storage', json: f.int16 },
  { name: 'int32', type: new Int32(), nullable: false, metadata: INT32_METADATA, build: 'storage', json: f.int32 },
  { name: 'int64', type: new Int64(), build: 'storage', json: (i) => str(f.int64(i)) },
  { name: 'uint8', type: new Uint8(), build: 'storage', json: f.uint8 },
  { name: 'uint16', type: new Uint16(), build: 'storage', json: f.uint16 },
  { name: 'uint32', type: new Uint32(), build: 'storage', json: f.uint32 },
  { name: 'uint64', type: new Uint64(), build: 'storage', json: (i) => str(f.uint64(i)) },
  { name: 'float32', type: new Float32(), build: 'storage', json: f.float32 },
  { name: 'float64', type: new Float64(), build: 'storage', json: f.float64 },
  { name: 'bool', type: new Bool(), build: 'builder', json: f.bool },
  { name: 'utf8', type: new Utf8(), build: 'builder', json: f.utf8 },
  { name: 'large_utf8', type: new LargeUtf8(), build: 'builder', json: f.large_utf8 },
  { name: 'binary', type: new Binary(), build: 'builder', json: (i) => base64(f.binary(i)) },
  { name: 'fixed_size_binary', type: new FixedSizeBinary(4), build: 'builder', json: (i) => base64(f.fixed_size_binary(i)) },
  { name: 'date32', type: new DateDay(), build: 'storage', json: (i) => str(f.date32(i)) },
  { name: 'date64', type: new DateMillisecond(), build: 'storage', json: (i) => str(f.date64(i)) },
  { name: 'timestamp_s', type: new TimestampSecond(null), build: 'storage', json: (i) => str(f.timestamp_s(i)) },
  { name: 'timestamp_ms_utc', type: new TimestampMillisecond('UTC'), build: 'storage', json: (i) => str(f.timestamp_ms_utc(i)) },
  { name: 'timestamp_us', type: new TimestampMicrosecond(null), build: 'storage', json: (i) => str(f.timestamp_us(i)) },
  { name: 'timestamp_ns_utc', type: new TimestampNanosecond('UTC'), build: 'storage', json: (i) => str(f.timestamp_ns_utc(i)) },
  { name: 'time32_ms', type: new TimeMillisecond(), build: 'storage', json: (i) => str(f.time32_ms(i)) },
  { name: 'time64_us', type: new TimeMicrosecond(), build: 'storage', json: (i) => str(f.time64_us(i)) },
  { name: 'duration_ms', type: new DurationMillisecond(), build: 'storage', json: (i) => str(f.duration_ms(i)) },
  { name: 'decimal128', type: new Decimal(4, 20, 128), build: 'decimal', json: (i) => str(f.decimal128(i)) },
  {
    name: 'list_int32', type: new List(new Field('item', new Int32(), true)), build: 'builder',
    json: f.list_int32,
  },
  {
    name: 'fixed_size_list_float64', type: new FixedSizeList(3, new Field('item', new Float64(), true)),
    build: 'builder', json: f.fixed_size_list_float64,
  },
  {
    name: 'struct', type: new Struct([new Field('a', new Int32(), false), new Field('b', new Utf8(), false)]),
    build: 'builder', json: f.struct,
  },
  {
    name: 'map',
    type: new Map_(new Field('entries', new Struct([
      new Field('key', new Utf8(), false), new Field('value', new Int32(), true)]), false), false),
    build: 'builder', json: f.map, value: (i) => new Map(f.map(i)),
  },
  {
    name: 'dictionary', type: new Dictionary(new Utf8(), new Int32(), 0, false), build: 'dictionary',
    json: f.dictionary,
  },
];
for (const c of columns) c.nullable ??= true;

const dictionaryValues = vectorFromArray(DICT, new Utf8());

function validity(start, n, nullable) {
  const bitmap = new Uint8Array(Math.ceil(n / 8) || 1);
  let nullCount = 0;
  for (let r = 0; r < n; r++) {
    if (nullable && isNull(start + r)) nullCount++;
    else bitmap[r >> 3] |= 1 << (r % 8);
  }
  return { nullBitmap: bitmap, nullCount };
}

function buildColumn(col, start, n) {
  const fn = f[col.name];
  const nulls = validity(start, n, col.nullable);
  switch (col.build) {
    case 'storage': {
      const data = new col.type.ArrayType(n);
      for (let r = 0; r < n; r++) {
        const i = start + r;
        if (!(col.nullable && isNull(i))) data[r] = fn(i);
      }
      return makeData({ type: col.type, length: n, data, ...nulls });
    }
    case 'decimal': {
      const data = new Uint32Array(4 * n);
      for (let r = 0; r < n; r++) {
        const i = start + r;
        if (col.nullable && isNull(i)) continue;
        let v = BigInt.asUintN(128, fn(i));
        for (let w = 0; w < 4; w++, v >>= 32n) data[4 * r + w] = Number(v & 0xffffffffn);
      }
      return makeData({ type: col.type, length: n, data, ...nulls });
    }
    case 'dictionary': {
      const data = new Int32Array(n);
      for (let r = 0; r < n; r++) data[r] = (start + r) % DICT.length;
      return makeData({ type: col.type, length: n, data, dictionary: dictionaryValues, ...nulls });
    }
    case 'builder': {
      const value = col.value ?? fn;
      const values = Array.from({ length: n }, (_, r) => (col.nullable && isNull(start + r) ? null : value(start + r)));
      const vector = vectorFromArray(values, col.type);
      if (vector.data.length !== 1) throw new Error(`${col.name}: builder made ${vector.data.length} chunks`);
      return vector.data[0];
    }
    default:
      throw new Error(`unknown build ${col.build}`);
  }
}

function buildBatches(schema) {
  const batches = [];
  let start = 0;
  for (const n of BATCHES) {
    const children = columns.map((col) => buildColumn(col, start, n));
    batches.push(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children })));
    start += n;
  }
  if (start !== ROWS) throw new Error('batch sizes do not add up');
  return batches;
}

function write(WriterClass, schema, batches) {
  const writer = new WriterClass();
  writer.reset(undefined, schema);
  for (const batch of batches) writer.write(batch);
  writer.finish();
  return writer.toUint8Array(true);
}

function readBack(path) {
  const reader = RecordBatchReader.from(readFileSync(path));
  reader.open();
  const schema = reader.schema;
  const batches = [...reader];
  return { schema, batches };
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function main() {
  const outDir = process.argv[2];
  if (!outDir || process.argv.length !== 3) throw new Error('usage: node generate.mjs OUTDIR');
  mkdirSync(outDir, { recursive: true });

  const fields = columns.map((c) => new Field(c.name, c.type, c.nullable, c.metadata ?? new Map()));
  const schema = new Schema(fields, SCHEMA_METADATA);
  const batches = buildBatches(schema);

  const expected = {
    rows: ROWS,
    batchRows: BATCHES,
    nullRule: 'nullable columns are null where i % 7 == 0',
    schemaMetadata: mapToObject(SCHEMA_METADATA),
    fieldMetadata: Object.fromEntries(columns.filter((c) => c.metadata).map((c) => [c.name, mapToObject(c.metadata)])),
    fields: fields.map((fd) => ({ name: fd.name, type: String(fd.type), nullable: fd.nullable })),
    columns: Object.fromEntries(columns.map((c) => [
      c.name,
      Array.from({ length: ROWS }, (_, i) => (c.nullable && isNull(i) ? null : c.json(i))),
    ])),
  };

  // What apache-arrow built must already be what the formulas say.
  const built = normalizeBatches(schema, batches);
  for (const c of columns) {
    if (!same(built[c.name], expected.columns[c.name])) throw new Error(`built column ${c.name} differs from its formula`);
  }

  const files = { 'js.arrow': RecordBatchFileWriter, 'js.arrows': RecordBatchStreamWriter };
  for (const [name, Writer] of Object.entries(files)) writeFileSync(join(outDir, name), write(Writer, schema, batches));
  writeFileSync(join(outDir, 'js.expected.json'), JSON.stringify(expected) + '\n');

  // Read both back with apache-arrow and check values, batch boundaries and metadata.
  for (const name of Object.keys(files)) {
    const back = readBack(join(outDir, name));
    const sizes = back.batches.map((b) => b.numRows);
    if (!same(sizes, BATCHES)) throw new Error(`${name}: batches ${sizes} instead of ${BATCHES}`);
    const badField = schema.fields.find((fd, k) => !util.compareFields(back.schema.fields[k], fd));
    if (badField) throw new Error(`${name}: field ${badField.name} (${badField.type}) read back differs`);
    if (!same(mapToObject(back.schema.metadata), expected.schemaMetadata)) throw new Error(`${name}: schema metadata differs`);
    const int32 = back.schema.fields.find((fd) => fd.name === 'int32');
    if (!same(mapToObject(int32.metadata), expected.fieldMetadata.int32)) throw new Error(`${name}: field metadata differs`);
    const got = normalizeBatches(back.schema, back.batches);
    for (const c of columns) {
      if (!same(got[c.name], expected.columns[c.name])) throw new Error(`${name}: column ${c.name} read back differs`);
    }
  }
  process.stdout.write(JSON.stringify({ rows: ROWS, batches: BATCHES.length, columns: columns.length, outDir }) + '\n');
}

try {
  main();
} catch (err) {
  process.stderr.write(`generate: ${err?.stack ?? err}\n`);
  process.exit(1);
}
