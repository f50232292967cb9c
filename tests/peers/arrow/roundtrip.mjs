// node tests/peers/arrow/roundtrip.mjs IN OUT file|stream [--compression zstd|lz4]
//
// Reads IN (an Arrow IPC file, detected by its leading "ARROW1" magic, or else an IPC stream) with apache-arrow,
// writes the same schema and record batches back with apache-arrow's writer as an IPC file or stream to OUT
// (schema, field and schema metadata, dictionary encoding, batch boundaries and batch metadata kept), and prints one
// JSON line: {"rows":N,"batches":B,"fields":[{"name","type","nullable","nullCount"}]}.
// Compressed input bodies (LZ4_FRAME, ZSTD) are read through codecs.mjs; --compression writes compressed bodies.
// On failure: a message on stderr, exit code 1.
import { readFileSync, writeFileSync } from 'node:fs';
import { RecordBatchReader, RecordBatchFileWriter, RecordBatchStreamWriter, util } from 'apache-arrow';
import { registerCodecs, compressionTypeOf } from './codecs.mjs';
import { emptyNamesForNull } from './normalize.mjs';

const USAGE = 'usage: node roundtrip.mjs IN OUT file|stream [--compression zstd|lz4]';

function parseArgs(argv) {
  const positional = [];
  let compression = null;
  for (let k = 0; k < argv.length; k++) {
    if (argv[k] === '--compression') {
      if (k + 1 >= argv.length) throw new Error(USAGE);
      compression = compressionTypeOf(argv[++k]);
    } else if (argv[k].startsWith('--compression=')) {
      compression = compressionTypeOf(argv[k].slice('--compression='.length));
    } else {
      positional.push(argv[k]);
    }
  }
  if (positional.length !== 3 || !['file', 'stream'].includes(positional[2])) throw new Error(USAGE);
  return { input: positional[0], output: positional[1], format: positional[2], compression };
}

const MAGIC = Buffer.from('ARROW1');

function main() {
  const { input, output, format, compression } = parseArgs(process.argv.slice(2));
  registerCodecs();

  const bytes = readFileSync(input);
  const isFile = bytes.length >= MAGIC.length && bytes.subarray(0, MAGIC.length).equals(MAGIC);
  const reader = RecordBatchReader.from(bytes);
  reader.open();
  if (isFile !== reader.isFile()) {
    throw new Error(`${input}: magic says ${isFile ? 'file' : 'stream'} but apache-arrow opened a ${reader.isFile() ? 'file' : 'stream'}`);
  }
  // Take the schema before reading the batches: the reader closes itself (and forgets it) at the end.
  const schema = reader.schema;
  if (schema == null) throw new Error(`${input}: no schema (not an Arrow IPC file or stream?)`);
  emptyNamesForNull(schema.fields);
  const batches = [];
  for (const batch of reader) {
    // A file or stream with a schema and no batches yields one internal placeholder batch: not data.
    if (batch.constructor.name === '_InternalEmptyPlaceholderRecordBatch') continue;
    batches.push(batch);
  }
  // RecordBatch rebuilds its schema with Schema.assign, which merges fields of the same name (apache-arrow 21):
  // when the columns themselves still match the file's schema position by position, give the batch that schema back.
  batches.forEach((batch, k) => {
    if (util.compareSchemas(schema, batch.schema)) return;
    const columns = batch.data.children;
    const bad = schema.fields.findIndex((f, j) => !columns[j] || !util.compareTypes(f.type, columns[j].type));
    if (columns.length !== schema.fields.length || bad >= 0) {
      throw new Error(`${input}: apache-arrow read batch ${k} with columns that do not match the schema ` +
        `(field ${bad} '${schema.fields[bad]?.name}': ${schema.fields[bad]?.type} vs ${columns[bad]?.type})`);
    }
    batch.schema = schema;
  });

  const options = { compressionType: compression };
  const writer = format === 'file' ? new RecordBatchFileWriter(options) : new RecordBatchStreamWriter(options);
  writer.reset(undefined, schema);
  for (const batch of batches) writer.write(batch);
  writer.finish();
  writeFileSync(output, writer.toUint8Array(true));

  const fields = schema.fields.map((field, k) => ({
    name: field.name,
    type: String(field.type),
    nullable: field.nullable,
    nullCount: batches.reduce((sum, b) => sum + (b.getChildAt(k)?.nullCount ?? 0), 0),
  }));
  const rows = batches.reduce((sum, b) => sum + b.numRows, 0);
  process.stdout.write(JSON.stringify({ rows, batches: batches.length, fields }) + '\n');
}

try {
  main();
} catch (err) {
  process.stderr.write(`roundtrip: ${err?.message ?? err}\n`);
  process.exit(1);
}
