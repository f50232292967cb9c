// node tests/peers/duckdb/query.mjs --sql "SQL" [--sql "SQL" …] [--out jsonl|json]
// Runs each statement in order on one in-memory DuckDB connection (so a CREATE TABLE is seen by a later SELECT) and
// prints each statement's result set (tests/peers/README.md): with --out jsonl (the default) a header line
// {"columns":[{"name","type"}],"rowCount":N,"sql":…} followed by one JSON array per row; with --out json one JSON
// document {"results":[{"columns","rowCount","sql","rows":[…]}]}. Values are normalised (normalize.mjs).
// Failure: the error on stderr, exit 1; bad arguments: exit 2.
import { parseArgs } from 'node:util';
import { openDuckDb, resultSetLines } from './duckdb.mjs';
import { runMain, UsageError, writeLines } from './normalize.mjs';

const usage = 'node tests/peers/duckdb/query.mjs --sql "SQL" [--sql "SQL" …] [--out jsonl|json]';

runMain(async () => {
  let values;
  try {
    ({ values } = parseArgs({ options: { sql: { type: 'string', multiple: true }, out: { type: 'string', default: 'jsonl' } } }));
  } catch (e) {
    throw new UsageError(e.message);
  }
  if (!values.sql?.length) throw new UsageError('query: --sql is required');
  if (values.out !== 'jsonl' && values.out !== 'json') throw new UsageError(`query: --out must be jsonl or json, not '${values.out}'`);
  const connection = await openDuckDb();
  const lines = [];
  for (const sql of values.sql) lines.push(...await resultSetLines(connection, sql, { sql }));
  await writeLines(values.out === 'jsonl' ? lines : [toDocument(lines)]);
}, usage);

/** JSON lines of result sets (header objects followed by row arrays) as one document. */
export function toDocument(lines) {
  const results = [];
  for (const line of lines) {
    const value = JSON.parse(line);
    if (Array.isArray(value)) results[results.length - 1].rows.push(value);
    else results.push({ ...value, rows: [] });
  }
  return JSON.stringify({ results });
}
