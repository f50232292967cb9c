// node tests/peers/arrow/version.mjs — prints the version of the apache-arrow package the peers use.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The package's "exports" hide package.json, so find it from the resolved entry point.
let dir = dirname(fileURLToPath(import.meta.resolve('apache-arrow')));
for (;;) {
  const candidate = join(dir, 'package.json');
  if (existsSync(candidate)) {
    const pkg = JSON.parse(readFileSync(candidate, 'utf8'));
    if (pkg.name === 'apache-arrow') {
      process.stdout.write(pkg.version + '\n');
      break;
    }
  }
  const parent = dirname(dir);
  if (parent === dir) {
    process.stderr.write('version: apache-arrow package.json not found\n');
    process.exit(1);
  }
  dir = parent;
}
