// Reference timing for Parquet with DuckDB (the npm package @duckdb/node-api installed in tests/peers/node_modules by
// scripts/setup.sh).
//
// Usage: node bench/peers/duckdb_parquet.mjs --repo ROOT --input IN.parquet --out-dir DIR [--codecs snappy,zstd]
//                                            [--runs 3] [--read LABEL=FILE ...]
//
// 1. Loads IN.parquet into an in-memory table t (untimed).
// 2. For each codec: COPY t TO 'DIR/out_duckdb_<codec>.parquet' (FORMAT parquet, CODEC '<codec>'), with the default
//    thread count and then with SET threads = 1 (so the file left behind is the single-threaded one): one warm-up, then
//    the best of --runs. Only the COPY statement is timed (performance.now() around it, inside this process).
// 3. Full scans of every written file and of each --read file (e.g. Larder's), threads = 1 and default:
//    SELECT count(*), sum(id), sum(value), sum(length(city)), bit_xor(epoch_ns(ts)) FROM read_parquet(FILE)
//    which must decode every value of every column (no aggregate here can be answered from the footer statistics).
//
// Prints one JSON line: {"duckdb": version, "threads_default": n, "rows": n, "load_s": s,
//   "write": {codec: {"file", "bytes", "threads1_s": [..], "default_s": [..], "columns": [..]}},
//   "read": {label: {"file", "bytes", "threads1_s": [..], "default_s": [..], "result": {..}, "columns": [..]}}}
// Times in seconds; "columns" is what parquet_metadata() reports per column (encodings, codec, sizes, row groups).
import { createRequire } from 'node:module';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

const usage = 'node bench/peers/duckdb_parquet.mjs --repo ROOT --input IN.parquet --out-dir DIR [--codecs snappy,zstd] [--runs 3] [--read LABEL=FILE ...]';

function fail(message, code = 1) {
  process.stderr.write(`duckdb_parquet: ${message}\n`);
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      repo: { type: 'string' },
      input: { type: 'string' },
      'out-dir': { type: 'string' },
      codecs: { type: 'string', default: 'snappy,zstd' },
      runs: { type: 'string', default: '3' },
      read: { type: 'string', multiple: true, default: [] },
    },
  }));
} catch (e) {
  fail(`${e.message}\nusage: ${usage}`, 2);
}
if (!values.repo || !values.input || !values['out-dir']) fail(`--repo, --input and --out-dir are required\nusage: ${usage}`, 2);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) fail('--runs must be a positive integer', 2);
const codecs = values.codecs.split(',').map(c => c.trim().toLowerCase()).filter(c => c.length > 0);
for (const c of codecs) {
  if (!/^[a-z0-9_]+$/.test(c)) fail(`bad codec '${c}'`, 2);
}
const reads = values.read.map(r => {
  const eq = r.indexOf('=');
  if (eq <= 0) fail(`--read wants LABEL=FILE, got '${r}'`, 2);
  return { label: r.slice(0, eq), file: r.slice(eq + 1) };
});

// The package lives in tests/peers/node_modules; resolve it from there.
const require = createRequire(join(values.repo, 'tests', 'peers', 'package.json'));
let duckdb;
try {
  duckdb = require('@duckdb/node-api');
} catch (e) {
  fail(`cannot load @duckdb/node-api from tests/peers/node_modules (run scripts/setup.sh): ${e.message}`);
}

const sql = text => "'" + String(text).replaceAll("'", "''") + "'";

const instance = await duckdb.DuckDBInstance.create(':memory:');
const connection = await instance.connect();

async function scalarRows(query) {
  const reader = await connection.runAndReadAll(query);
  return reader.getRowObjects();
}

const version = (await scalarRows('SELECT version() AS v'))[0].v;
const threadsDefault = Number((await scalarRows("SELECT current_setting('threads') AS t"))[0].t);

async function timed(statement) {
  const t0 = performance.now();
  await connection.run(statement);
  return (performance.now() - t0) / 1000;
}

/** One warm-up, then `runs` timed executions; returns the samples in seconds. */
async function samples(statement) {
  await connection.run(statement);
  const out = [];
  for (let i = 0; i < runs; i++) out.push(await timed(statement));
  return out;
}

async function withThreads(threads, fn) {
  await connection.run(threads === null ? 'RESET threads' : `SET threads = ${threads}`);
  try {
    return await fn();
  } finally {
    await connection.run('RESET threads');
  }
}

function plain(v) {
  if (typeof v === 'bigint') return v.toString();
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') return String(v);
  return v;
}

async function columns(file) {
  const rows = await scalarRows(`
    SELECT path_in_schema AS col, string_agg(DISTINCT encodings, ' / ') AS encodings, any_value(compression) AS codec,
           count(*) AS row_groups, sum(total_compressed_size) AS compressed, sum(total_uncompressed_size) AS uncompressed,
           bool_or(bloom_filter_offset IS NOT NULL) AS bloom_filter
    FROM parquet_metadata(${sql(file)}) GROUP BY path_in_schema ORDER BY min(column_id)`);
  return rows.map(r => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
}

const scan = file =>
  `SELECT count(*) AS n, sum(id) AS sum_id, sum(value) AS sum_value, sum(length(city)) AS sum_city, ` +
  `bit_xor(epoch_ns(ts)) AS xor_ts FROM read_parquet(${sql(file)})`;

try {
  const t0 = performance.now();
  await connection.run(`CREATE TABLE t AS SELECT * FROM read_parquet(${sql(values.input)})`);
  const loadSeconds = (performance.now() - t0) / 1000;
  const rowCount = Number((await scalarRows('SELECT count(*) AS n FROM t'))[0].n);

  const write = {};
  for (const codec of codecs) {
    const file = join(values['out-dir'], `out_duckdb_${codec}.parquet`);
    const copy = `COPY t TO ${sql(file)} (FORMAT parquet, CODEC ${sql(codec)})`;
    const defaults = await withThreads(null, () => samples(copy));
    const bytesDefault = statSync(file).size;
    const single = await withThreads(1, () => samples(copy));
    write[codec] = {
      file,
      bytes: statSync(file).size,
      bytes_default_threads: bytesDefault,
      threads1_s: single,
      default_s: defaults,
      columns: await columns(file),
    };
  }

  const read = {};
  const targets = [...codecs.map(c => ({ label: `duckdb_${c}`, file: write[c].file })), ...reads];
  for (const { label, file } of targets) {
    const query = scan(file);
    const single = await withThreads(1, () => samples(query));
    const defaults = await withThreads(null, () => samples(query));
    const result = (await scalarRows(query))[0];
    read[label] = {
      file,
      bytes: statSync(file).size,
      threads1_s: single,
      default_s: defaults,
      result: Object.fromEntries(Object.entries(result).map(([k, v]) => [k, plain(v)])),
      columns: await columns(file),
    };
  }

  process.stdout.write(JSON.stringify({
    duckdb: version, threads_default: threadsDefault, rows: rowCount, load_s: loadSeconds, runs, write, read,
  }) + '\n');
} catch (e) {
  fail(e && e.message ? e.message : String(e));
}
