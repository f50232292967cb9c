// IPC body compression for apache-arrow (JS).
//
// apache-arrow reads and writes compressed IPC bodies (BodyCompression: LZ4_FRAME, ZSTD) only through codecs
// registered in its `compressionRegistry`; it ships none, and Node 20's zlib has neither LZ4 nor ZSTD. Rather than
// add a JS codec package, this registers codecs that run Debian's `zstd` and `lz4` command-line tools (installed by
// scripts/setup.sh) once per buffer. That is slow (one process per buffer) but exact and dependency-free, which is
// what a test peer needs.
import { execFileSync } from 'node:child_process';
import { CompressionType, compressionRegistry } from 'apache-arrow';

const MAX_BUFFER = 1 << 30;

function run(tool, args, input) {
  const out = execFileSync(tool, args, { input, maxBuffer: MAX_BUFFER, stdio: ['pipe', 'pipe', 'pipe'] });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export const codecs = {
  zstd: {
    type: CompressionType.ZSTD,
    codec: {
      encode: (data) => run('zstd', ['-q', '-c', '-1'], data),
      decode: (data) => run('zstd', ['-q', '-d', '-c'], data),
    },
  },
  lz4: {
    type: CompressionType.LZ4_FRAME,
    codec: {
      encode: (data) => run('lz4', ['-q', '-c', '-1'], data),
      decode: (data) => run('lz4', ['-q', '-d', '-c'], data),
    },
  },
};

/** Registers both codecs in apache-arrow's compressionRegistry (safe to call more than once). */
export function registerCodecs() {
  for (const { type, codec } of Object.values(codecs)) compressionRegistry.set(type, codec);
}

/** Maps a command-line name (zstd, lz4, lz4_frame) to apache-arrow's CompressionType. */
export function compressionTypeOf(name) {
  const key = String(name).toLowerCase() === 'lz4_frame' ? 'lz4' : String(name).toLowerCase();
  if (!(key in codecs)) throw new Error(`unknown compression '${name}' (zstd or lz4)`);
  return codecs[key].type;
}
