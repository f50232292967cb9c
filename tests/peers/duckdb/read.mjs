// node tests/peers/duckdb/read.mjs FILE [FILE …]
// For each FILE, prints all rows of SELECT * FROM read_parquet(FILE) as a result set (tests/peers/README.md): the
// header {"file","columns":[{"name","type"}],"rowCount":N} — the names and DuckDB types are those DESCRIBE
// shows — then one JSON array of normalised values per row, in file order. Failure: stderr, exit 1.
import { openDuckDb, readParquet } from './duckdb.mjs';
import { runMain, UsageError, writeLines } from './normalize.mjs';

const usage = 'node tests/peers/duckdb/read.mjs FILE [FILE …]';

runMain(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0 || files.some(f => f.startsWith('--'))) throw new UsageError('read: give one or more Parquet files');
  const connection = await openDuckDb();
  const lines = [];
  for (const file of files) lines.push(...await readParquet(connection, file));
  await writeLines(lines);
}, usage);
