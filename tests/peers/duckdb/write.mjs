// node tests/peers/duckdb/write.mjs --sql "SELECT …" --out FILE --codec snappy|zstd|gzip|uncompressed|lz4|brotli
//                                   [--version v1|v2] [--row-group-size N]
// Runs COPY (SQL) TO FILE (FORMAT parquet, CODEC …, PARQUET_VERSION V1|V2[, ROW_GROUP_SIZE N]) in an in-memory
// DuckDB. Prints the COPY's result set (tests/peers/README.md): the header {"file","sql","columns","rowCount":1}
// and one row: [the number of rows written, as a string]. Defaults: --codec snappy, --version v1 (DuckDB's own
// defaults). Failure: the error on stderr, exit 1; bad arguments: exit 2.
import { parseArgs } from 'node:util';
import { openDuckDb, writeParquet } from './duckdb.mjs';
import { runMain, UsageError, writeLines } from './normalize.mjs';

const usage = 'node tests/peers/duckdb/write.mjs --sql "SELECT …" --out FILE --codec snappy|zstd|gzip|uncompressed [--version v1|v2] [--row-group-size N]';

runMain(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        sql: { type: 'string' },
        out: { type: 'string' },
        codec: { type: 'string', default: 'snappy' },
        version: { type: 'string', default: 'v1' },
        'row-group-size': { type: 'string' },
      },
    }));
  } catch (e) {
    throw new UsageError(e.message);
  }
  if (!values.sql) throw new UsageError('write: --sql is required');
  if (!values.out) throw new UsageError('write: --out is required');
  const connection = await openDuckDb();
  await writeLines(await writeParquet(connection, {
    sql: values.sql, out: values.out, codec: values.codec, version: values.version, rowGroupSize: values['row-group-size'],
  }));
}, usage);
