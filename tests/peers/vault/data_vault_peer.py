"""The data_vault side of the vault interop tests, with the standard library, pandas and numpy only.

data_vault stores a frame with ``df.to_csv(f, sep='\\t')`` into the zipfile entry ``module/name`` (deflate) and reads
it back with ``pd.read_csv(f, sep='\\t', index_col=0, parse_dates=True)``; this script does exactly that.

Commands (every result is one JSON document on stdout; any failure exits non-zero with a message on stderr):

  write ARCHIVE SEED          writes seeded frames and np.save arrays into ARCHIVE, the data_vault way; prints
                              {"tables": {entry: canon}, "arrays": {entry: array}}
  read ARCHIVE SPEC           reads tables with data_vault's call; SPEC is JSON [{"entry", "ts": [col], "utc": [col]}]
                              (columns to pass through pd.to_datetime, with utc=True for "utc"); prints {entry: canon}
  load ARCHIVE ENTRY...       np.load of each entry; prints {entry: array}
  test ARCHIVE                zipfile.testzip() and every entry's CRC-32 and SHA-256; prints
                              {"testzip": null | first bad name, "entries": [{"name", "crc32", "sha256", "size", "method"}]}

canon: {"dtypes": {col: dtype}, "index": [int], "columns": {col: [value]}}, each value null (NaN, NaT, None),
"True"/"False", a timestamp's nanoseconds since the epoch as a decimal string, "f" + a float's IEEE bits as a signed
64-bit decimal, "s" + a string, or an integer's decimal text.
array: {"dtype": numpy's str of the dtype, "le": the little-endian dtype's str, "shape": [int], "fortran": bool,
"hex": the elements as little-endian bytes in C order, hex}.
"""

import hashlib
import io
import json
import struct
import sys
import zipfile

import numpy as np
import pandas as pd


def canon(df, ts_columns=(), utc_columns=()):
    out = {'dtypes': {c: str(df[c].dtype) for c in df.columns}, 'index': [int(i) for i in df.index], 'columns': {}}
    for c in df.columns:
        col = df[c]
        if c in ts_columns:
            col = pd.to_datetime(col, utc=(c in utc_columns))
        values = []
        for v in col:
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                values.append(None)
            elif isinstance(v, pd.Timestamp):
                values.append(str(v.value))
            elif isinstance(v, (bool, np.bool_)):
                values.append('True' if v else 'False')
            elif isinstance(v, (float, np.floating)):
                values.append('f' + str(struct.unpack('<q', struct.pack('<d', float(v)))[0]))
            elif isinstance(v, str):
                values.append('s' + v)
            else:
                values.append(str(int(v)))
        out['columns'][c] = values
    return out


def describe_array(a):
    le = a.dtype.newbyteorder('<')
    return {
        'dtype': a.dtype.str,
        'le': le.str,
        'shape': list(a.shape),
        'fortran': bool(a.flags.f_contiguous and not a.flags.c_contiguous),
        'hex': np.ascontiguousarray(a.astype(le)).tobytes().hex(),
    }


def seeded_frames(seed):
    rng = np.random.default_rng(seed)
    n = 240
    pieces = ['a', '\t', '"', '\n', ',', 'σ', '€', ' ', 'x', '1', "'", '\\']
    strings = ['v' + ''.join(rng.choice(pieces, size=rng.integers(0, 7))) for _ in range(n)]
    strings = [None if rng.random() < 0.1 else s for s in strings]
    floats = rng.normal(size=n) * 10.0 ** rng.integers(-20, 20, size=n)
    floats[:5] = [np.inf, -np.inf, 5e-324, -0.0, 0.1]
    floats[rng.random(n) < 0.1] = np.nan
    base = np.datetime64('2019-12-08T11:58:00', 'ns')
    naive = pd.Series(base + (rng.integers(-10**9, 10**9, size=n) * 10**6).astype('timedelta64[ns]'))
    aware = pd.Series(base + (rng.integers(-10**12, 10**12, size=n) * 10**3).astype('timedelta64[ns]')).dt.tz_localize('UTC')
    mixed = pd.DataFrame({
        'i': rng.integers(-2**62, 2**62, size=n),
        'i_null': [None if rng.random() < 0.1 else int(v) for v in rng.integers(-1000, 1000, size=n)],
        'f': floats,
        'b': rng.random(n) < 0.5,
        's': strings,
        't': naive.where(rng.random(n) > 0.1),
        't_utc': aware,
    })
    cities = pd.DataFrame({
        'city': rng.choice(['Oslo', 'Zürich', 'Bergen', 'Åre'], size=1000),
        'n': rng.integers(0, 100, size=1000),
    })
    return {
        'datasets/salaries': (pd.DataFrame([{'a': 1, 'b': 1}, {'a': 1, 'b': 2}]), (), ()),
        'datasets/mixed': (mixed, ('t', 't_utc'), ('t_utc',)),
        'other/cities': (cities, (), ()),
    }


def seeded_arrays(seed):
    rng = np.random.default_rng(seed)
    return {
        'arrays/f8': rng.normal(size=(7, 5)),
        'arrays/f4_fortran': np.asfortranarray(rng.normal(size=(4, 6)).astype('<f4')),
        'arrays/i4': rng.integers(-2**31, 2**31, size=100, dtype='<i4'),
        'arrays/i8_big_endian': rng.integers(-2**62, 2**62, size=(3, 2, 4)).astype('>i8'),
        'arrays/u1': rng.integers(0, 256, size=33, dtype='u1'),
        'arrays/bool': rng.random((5, 5)) < 0.5,
        'arrays/c16': rng.normal(size=6) + 1j * rng.normal(size=6),
        'arrays/scalar': np.array(2.5),
        'arrays/empty': np.zeros((0, 3), dtype='<i2'),
    }


def write(archive, seed):
    frames = seeded_frames(seed)
    arrays = seeded_arrays(seed)
    tables = {}
    with zipfile.ZipFile(archive, 'a', compression=zipfile.ZIP_DEFLATED) as z:
        for entry, (df, ts, utc) in frames.items():
            with z.open(entry, 'w') as f:
                df.to_csv(f, sep='\t')
            tables[entry] = canon(df, ts, utc)
        for entry, a in arrays.items():
            with z.open(entry, 'w') as f:
                np.save(f, a)
    return {'tables': tables, 'arrays': {entry: describe_array(a) for entry, a in arrays.items()}}


def read(archive, spec):
    out = {}
    with zipfile.ZipFile(archive) as z:
        for item in json.loads(spec):
            with z.open(item['entry']) as f:
                df = pd.read_csv(f, sep='\t', index_col=0, parse_dates=True)
            out[item['entry']] = canon(df, set(item.get('ts', ())), set(item.get('utc', ())))
    return out


def load(archive, entries):
    out = {}
    with zipfile.ZipFile(archive) as z:
        for entry in entries:
            with z.open(entry) as f:
                out[entry] = describe_array(np.load(f, allow_pickle=False))
    return out


def test(archive):
    with zipfile.ZipFile(archive) as z:
        bad = z.testzip()
        entries = []
        for info in z.infolist():
            data = z.read(info.filename)
            entries.append({
                'name': info.filename,
                'crc32': '%08X' % info.CRC,
                'sha256': hashlib.sha256(data).hexdigest(),
                'size': len(data),
                'method': info.compress_type,
            })
    return {'testzip': bad, 'entries': entries}


def main(argv):
    command, archive = argv[1], argv[2]
    if command == 'write':
        result = write(archive, int(argv[3]))
    elif command == 'read':
        result = read(archive, argv[3])
    elif command == 'load':
        result = load(archive, argv[3:])
    elif command == 'test':
        result = test(archive)
    else:
        sys.exit('unknown command ' + command)
    json.dump(result, sys.stdout, ensure_ascii=True)
    print()


if __name__ == '__main__':
    main(sys.argv)
