// node tests/peers/duckdb/version.mjs — prints {"nodeApi":"1.5.5-r.5","duckdb":"v1.5.5","sourceId":"…","platform":"linux-x64"}:
// the @duckdb/node-api package version and what the loaded native library reports.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openDuckDb } from './duckdb.mjs';
import { runMain, writeLines } from './normalize.mjs';

function packageVersion(name) {
  // The package's "exports" may hide package.json, so walk up from the resolved entry point.
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8'));
      if (pkg.name === name) return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json of ${name} not found`);
    dir = parent;
  }
}

runMain(async () => {
  const connection = await openDuckDb();
  const reader = await connection.runAndReadAll('SELECT library_version, source_id FROM pragma_version()');
  const [[duckdb, sourceId]] = reader.getRows();
  const require = createRequire(import.meta.url);
  const bindings = dirname(require.resolve('@duckdb/node-bindings/package.json'));
  await writeLines([JSON.stringify({
    nodeApi: packageVersion('@duckdb/node-api'),
    nodeBindings: JSON.parse(readFileSync(join(bindings, 'package.json'), 'utf8')).version,
    duckdb,
    sourceId,
    platform: `${process.platform}-${process.arch}`,
  })]);
}, 'node tests/peers/duckdb/version.mjs');
