// node tests/peers/arrow/dump.mjs IN
//
// Reads an Arrow IPC file or stream with apache-arrow and prints its contents as one JSON document in the shape of
// generate.mjs's js.expected.json: {"rows","batchRows","schemaMetadata","fieldMetadata","fields","columns"}, with the
// values normalized as normalize.mjs says (so a test can compare what apache-arrow reads with what it wrote).
// Columns are keyed by field name (a later duplicate name wins). On failure: a message on stderr, exit code 1.
import { readFileSync } from 'node:fs';
import { RecordBatchReader } from 'apache-arrow';
import { registerCodecs } from './codecs.mjs';
import { emptyNamesForNull, mapToObject, normalizeBatches } from './normalize.mjs';

function main() {
  if (process.argv.length !== 3) throw new Error('usage: node dump.mjs IN');
  const input = process.argv[2];
  registerCodecs();
  const reader = RecordBatchReader.from(readFileSync(input));
  reader.open();
  const schema = reader.schema;
  if (schema == null) throw new Error(`${input}: no schema (not an Arrow IPC file or stream?)`);
  emptyNamesForNull(schema.fields);
  const batches = [...reader].filter((b) => b.constructor.name !== '_InternalEmptyPlaceholderRecordBatch');
  const out = {
    rows: batches.reduce((sum, b) => sum + b.numRows, 0),
    batchRows: batches.map((b) => b.numRows),
    schemaMetadata: mapToObject(schema.metadata),
    fieldMetadata: Object.fromEntries(schema.fields.filter((fd) => fd.metadata?.size > 0)
      .map((fd) => [fd.name, mapToObject(fd.metadata)])),
    fields: schema.fields.map((fd) => ({ name: fd.name, type: String(fd.type), nullable: fd.nullable })),
    columns: normalizeBatches(schema, batches),
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

try {
  main();
} catch (err) {
  process.stderr.write(`dump: ${err?.message ?? err}\n`);
  process.exit(1);
}
