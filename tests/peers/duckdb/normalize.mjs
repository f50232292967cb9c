// JSON normalisation of SQL / Parquet values, shared by the DuckDB peer (this folder) and the hyparquet peer
// (../hyparquet/read.mjs), so that both print the same JSON for the same value (rules: tests/peers/README.md,
// section "DuckDB and hyparquet").
//
//   bool                               → true / false
//   8/16/32-bit ints (signed, unsigned)→ JSON number
//   64-bit and wider ints              → decimal string ("-9223372036854775808")
//   float, double                      → JSON number; NaN / ±Infinity as "NaN", "Infinity", "-Infinity"
//   decimal(p, s)                      → decimal string with exactly s fractional digits ("-1.500", "42")
//   varchar, enum, json                → string
//   blob (binary without a string annotation) → base64 string
//   uuid                               → lower-case 8-4-4-4-12 string
//   date, time, timestamp (all units)  → {"kind","unit","raw","iso"} (see temporal() below)
//   interval                           → {"months": n, "days": n, "micros": "n"}
//   list, array                        → JSON array
//   struct                             → JSON object (field order kept)
//   map                                → JSON array of [key, value] pairs (entry order kept)
//   null                               → null

export function jsonNumber(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return x;
}

export function base64(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** An unscaled integer (bigint) and a scale as a decimal string with exactly `scale` fractional digits. */
export function decimalString(unscaled, scale) {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
  }
  return (negative ? '-' : '') + digits;
}

/** Units per second of each temporal unit (dates use "day"). */
const PER_SECOND = { s: 1n, ms: 1000n, us: 1000000n, ns: 1000000000n };
const FRACTION_DIGITS = { s: 0, ms: 3, us: 6, ns: 9 };

function floorDiv(a, b) {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function pad(n, width) {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? '-' + s : s;
}

/** Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's civil_from_days). */
export function isoDate(days) {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** "HH:MM:SS[.fff…]" of a time of day given in `unit` (bigint, 0 ≤ value < one day, 24:00:00 allowed). */
export function isoTimeOfDay(value, unit) {
  const per = PER_SECOND[unit];
  const seconds = value / per;
  const fraction = value % per;
  const h = Number(seconds / 3600n);
  const m = Number((seconds / 60n) % 60n);
  const s = Number(seconds % 60n);
  const digits = FRACTION_DIGITS[unit];
  const frac = digits > 0 ? '.' + fraction.toString().padStart(digits, '0') : '';
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${frac}`;
}

/**
 * A temporal value as {"kind", "unit", "raw", "iso"}:
 *   kind: "date" | "time" | "timetz" | "timestamp" (no time zone) | "timestamptz" (an instant, UTC-adjusted)
 *   unit: "day" (dates) | "s" | "ms" | "us" | "ns" — the unit of raw, which is the column's own unit
 *   raw:  the stored integer as a decimal string (days, or units since 1970-01-01T00:00:00 / since midnight)
 *   iso:  "2024-01-31", "13:45:10.123456", "2024-01-31T13:45:10.123456" (+ "Z" for timestamptz); the number of
 *         fractional digits is fixed by the unit (s: 0, ms: 3, us: 6, ns: 9). DuckDB's ±infinity: "infinity",
 *         "-infinity".
 * For timetz, `offset` (seconds east of UTC) is added and iso ends with ±HH:MM.
 */
export function temporal(kind, unit, raw, extra) {
  const value = BigInt(raw);
  let iso;
  if (kind === 'date') {
    iso = isoDate(Number(value));
  } else if (kind === 'time' || kind === 'timetz') {
    iso = isoTimeOfDay(value, unit);
    if (kind === 'timetz') {
      const off = extra?.offset ?? 0;
      const a = Math.abs(off);
      iso += (off < 0 ? '-' : '+') + pad(Math.floor(a / 3600), 2) + ':' + pad(Math.floor((a % 3600) / 60), 2);
    }
  } else {
    const perDay = PER_SECOND[unit] * 86400n;
    const days = floorDiv(value, perDay);
    iso = isoDate(Number(days)) + 'T' + isoTimeOfDay(value - days * perDay, unit) + (kind === 'timestamptz' ? 'Z' : '');
  }
  const out = { kind, unit, raw: value.toString(), iso };
  if (extra?.offset !== undefined) out.offset = extra.offset;
  return out;
}

/** DuckDB's ±infinity dates and timestamps keep raw but have iso "infinity" / "-infinity". */
export function infiniteIso(t, positive) {
  t.iso = positive ? 'infinity' : '-infinity';
  return t;
}

/** Lower-case 8-4-4-4-12 text of 16 bytes. */
export function uuidString(bytes) {
  const hex = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** JSON.stringify for already-normalised values (refuses leftovers such as bigint, so a gap fails loudly). */
export function jsonLine(value) {
  return JSON.stringify(value, (key, v) => {
    if (typeof v === 'bigint') throw new TypeError(`unnormalised bigint at '${key}'`);
    return v;
  });
}

/** Writes lines to stdout and resolves once they are flushed (large outputs through a pipe). */
export function writeLines(lines) {
  return new Promise((resolve, reject) => {
    const text = lines.length === 0 ? '' : lines.join('\n') + '\n';
    process.stdout.write(text, err => (err ? reject(err) : resolve()));
  });
}

/** Runs main(); any error is one message on stderr and exit code 1 (2 for a usage error). */
export function runMain(main, usage) {
  main().then(
    code => { process.exitCode = code ?? 0; },
    err => {
      if (err instanceof UsageError) {
        process.stderr.write(`${err.message}\nusage: ${usage}\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`${err?.stack ?? err}\n`);
        process.exitCode = 1;
      }
    });
}

export class UsageError extends Error {}
