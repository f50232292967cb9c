// node tests/peers/duckdb/batch.mjs REQUESTS.json   (or "-" to read the requests from stdin)
// Runs many requests in one process and one in-memory DuckDB connection (a process start costs ~0.2 s):
// REQUESTS.json is a JSON array of
//   {"op":"query","sql":"…"}
//   {"op":"write","sql":"SELECT …","out":"FILE","codec":"zstd","version":"v2","rowGroupSize":N}
//   {"op":"read","file":"FILE"}
// and the output is their result sets in order, exactly as query.mjs / write.mjs / read.mjs print them, each
// header carrying "request": its index. The first failing request stops the run: stderr, exit 1.
import { readFileSync } from 'node:fs';
import { openDuckDb, readParquet, resultSetLines, writeParquet } from './duckdb.mjs';
import { runMain, UsageError, writeLines } from './normalize.mjs';

const usage = 'node tests/peers/duckdb/batch.mjs REQUESTS.json|-';

runMain(async () => {
  const source = process.argv[2];
  if (!source || process.argv.length > 3) throw new UsageError('batch: give one requests file (or -)');
  const requests = JSON.parse(readFileSync(source === '-' ? 0 : source, 'utf8'));
  if (!Array.isArray(requests)) throw new UsageError('batch: the requests must be a JSON array');
  const connection = await openDuckDb();
  const lines = [];
  for (const [index, request] of requests.entries()) {
    let set;
    try {
      switch (request?.op) {
        case 'query': set = await resultSetLines(connection, request.sql, { sql: request.sql }); break;
        case 'write': set = await writeParquet(connection, request); break;
        case 'read': set = await readParquet(connection, request.file); break;
        default: throw new Error(`unknown op '${request?.op}' (query, write or read)`);
      }
    } catch (e) {
      e.message = `batch: request ${index} (${JSON.stringify(request)}) failed: ${e.message}`;
      throw e;
    }
    const header = JSON.parse(set[0]);
    set[0] = JSON.stringify({ request: index, ...header });
    lines.push(...set);
  }
  await writeLines(lines);
}, usage);
