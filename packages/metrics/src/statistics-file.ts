/**
 * Saving and loading feature statistics, so reference statistics are computed once:
 *
 * - `.npz`: NumPy's zip of `.npy` arrays with `mu` `[d]` and `sigma` `[d, d]` (float64), the
 *   format of pytorch-fid's `--save-stats` files; we read stored and deflated (`savez_compressed`)
 *   archives, including ZIP64 entries, and write stored (uncompressed) ones plus an `n` array.
 * - `.json`: `{ "format": "ot-fid-stats", "dim", "count", "mu": [...], "sigma": [[...]] }`.
 *
 * The zip and `.npy` reader/writer are minimal (no npm library for NumPy's format is
 * well-kept); they handle little-endian `<f8` / `<f4` / `<i8` arrays, C or Fortran order.
 */
import { OTError } from '@ot/core';
import type { GaussianStatistics } from './statistics.js';

/** An n-dimensional float64 array read from or written to `.npy`. */
export interface NdArray {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Encodes one array as a `.npy` (version 1.0, `<f8`, C order). */
export function encodeNpy(a: NdArray): Uint8Array {
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + a.data.length * 8);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const dv = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < a.data.length; i++) dv.setFloat64(i * 8, a.data[i]!, true);
  return out;
}

/** Decodes a `.npy` (versions 1–3) holding `<f8`, `<f4`, `<i8` or `<i4` data, as float64 in C order. */
export function decodeNpy(b: Uint8Array): NdArray {
  if (b.length < 10 || b[0] !== 0x93 || String.fromCharCode(...b.subarray(1, 6)) !== 'NUMPY') {
    throw new OTError('INVALID_FILE', 'not a .npy array (bad magic)');
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const major = b[6]!;
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const hstart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(b.subarray(hstart, hstart + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeStr = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeStr === undefined) throw new OTError('INVALID_FILE', `unreadable .npy header: ${header}`);
  const shape = shapeStr.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const size = shape.reduce((x, y) => x * y, 1);
  const kinds: Record<string, [number, (o: number) => number]> = {
    '<f8': [8, (o) => dv.getFloat64(o, true)],
    '<f4': [4, (o) => dv.getFloat32(o, true)],
    '<i8': [8, (o) => Number(dv.getBigInt64(o, true))],
    '<i4': [4, (o) => dv.getInt32(o, true)],
  };
  const kind = kinds[descr];
  if (kind === undefined) throw new OTError('INVALID_FILE', `unsupported .npy dtype ${descr} (expected <f8, <f4, <i8 or <i4)`);
  const [bytes, read] = kind;
  const start = hstart + hlen;
  if (b.length < start + size * bytes) throw new OTError('INVALID_FILE', '.npy data is truncated');
  const data = new Float64Array(size);
  for (let i = 0; i < size; i++) data[i] = read(start + i * bytes);
  if (fortran && shape.length === 2) {
    const [r, c] = shape as [number, number];
    const t = new Float64Array(size);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[i * c + j] = data[j * r + i]!;
    return { shape, data: t };
  }
  return { shape, data };
}

/** Encodes arrays as an uncompressed `.npz` (zip of `<name>.npy`). */
export function encodeNpz(arrays: Record<string, NdArray>): Uint8Array {
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, arr] of Object.entries(arrays)) {
    const data = encodeNpy(arr);
    const fname = enc.encode(`${name}.npy`);
    const crc = crc32(data);
    const lh = new Uint8Array(30 + fname.length);
    const l = new DataView(lh.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true);
    l.setUint16(12, 0x21, true); // 1980-01-01
    l.setUint32(14, crc, true);
    l.setUint32(18, data.length, true);
    l.setUint32(22, data.length, true);
    l.setUint16(26, fname.length, true);
    lh.set(fname, 30);
    const ch = new Uint8Array(46 + fname.length);
    const c = new DataView(ch.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(14, 0x21, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, data.length, true);
    c.setUint32(24, data.length, true);
    c.setUint16(28, fname.length, true);
    c.setUint32(42, offset, true);
    ch.set(fname, 46);
    locals.push(lh, data);
    centrals.push(ch);
    offset += lh.length + data.length;
  }
  const cdSize = centrals.reduce((s, x) => s + x.length, 0);
  const eocd = new Uint8Array(22);
  const e = new DataView(eocd.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, centrals.length, true);
  e.setUint16(10, centrals.length, true);
  e.setUint32(12, cdSize, true);
  e.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + 22);
  let o = 0;
  for (const part of [...locals, ...centrals, eocd]) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}

/** Decodes a `.npz` (stored or deflated entries; ZIP64 sizes) into name → array. */
export async function decodeNpz(bytes: Uint8Array): Promise<Record<string, NdArray>> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new OTError('INVALID_FILE', 'not a zip/.npz file (no end-of-central-directory record)');
  const entries = dv.getUint16(eocd + 10, true);
  let p = dv.getUint32(eocd + 16, true);
  const out: Record<string, NdArray> = {};
  const dec = new TextDecoder();
  for (let k = 0; k < entries; k++) {
    if (dv.getUint32(p, true) !== 0x02014b50) throw new OTError('INVALID_FILE', 'corrupt zip central directory');
    const method = dv.getUint16(p + 10, true);
    let csize = dv.getUint32(p + 20, true);
    let usize = dv.getUint32(p + 24, true);
    const nlen = dv.getUint16(p + 28, true);
    const xlen = dv.getUint16(p + 30, true);
    const clen = dv.getUint16(p + 32, true);
    let local = dv.getUint32(p + 42, true);
    const name = dec.decode(bytes.subarray(p + 46, p + 46 + nlen));
    // ZIP64 extra field (id 1): the 0xffffffff fields, in order usize, csize, offset
    let x = p + 46 + nlen;
    const xend = x + xlen;
    while (x + 4 <= xend) {
      const id = dv.getUint16(x, true);
      const sz = dv.getUint16(x + 2, true);
      if (id === 1) {
        let q = x + 4;
        if (usize === 0xffffffff) { usize = Number(dv.getBigUint64(q, true)); q += 8; }
        if (csize === 0xffffffff) { csize = Number(dv.getBigUint64(q, true)); q += 8; }
        if (local === 0xffffffff) { local = Number(dv.getBigUint64(q, true)); q += 8; }
      }
      x += 4 + sz;
    }
    p = xend + clen;
    if (dv.getUint32(local, true) !== 0x04034b50) throw new OTError('INVALID_FILE', `corrupt zip local header for ${name}`);
    const start = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
    const raw = bytes.subarray(start, start + csize);
    let data: Uint8Array;
    if (method === 0) data = raw;
    else if (method === 8) data = await inflateRaw(raw);
    else throw new OTError('INVALID_FILE', `zip entry ${name} uses compression method ${method} (only stored and deflate are supported)`);
    if (data.length !== usize) throw new OTError('INVALID_FILE', `zip entry ${name} has ${data.length} bytes, expected ${usize}`);
    if (name.endsWith('.npy')) out[name.slice(0, -4)] = decodeNpy(data);
  }
  return out;
}

async function inflateRaw(b: Uint8Array): Promise<Uint8Array> {
  if (typeof process !== 'undefined' && process.versions?.node !== undefined) {
    const zlib = await import('node:zlib');
    return new Uint8Array(zlib.inflateRawSync(b));
  }
  const ds = new DecompressionStream('deflate-raw');
  const stream = new Blob([b as Uint8Array<ArrayBuffer>]).stream().pipeThrough(ds);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function fromArrays(mu: NdArray | undefined, sigma: NdArray | undefined, count: number, where: string): GaussianStatistics {
  if (mu === undefined || sigma === undefined) throw new OTError('INVALID_FILE', `${where} must hold 'mu' and 'sigma'`);
  const d = mu.data.length;
  if (mu.shape.length !== 1 || sigma.shape.length !== 2 || sigma.shape[0] !== d || sigma.shape[1] !== d) {
    throw new OTError('INVALID_FILE', `${where}: mu must be [d] and sigma [d, d], got [${mu.shape}] and [${sigma.shape}]`);
  }
  return { mu: mu.data, sigma: sigma.data, dim: d, count };
}

/** Serializes statistics: `'npz'` (NumPy, pytorch-fid compatible) or `'json'`. */
export function encodeStatistics(stats: GaussianStatistics, format: 'npz' | 'json'): Uint8Array {
  if (format === 'npz') {
    return encodeNpz({
      mu: { shape: [stats.dim], data: stats.mu },
      sigma: { shape: [stats.dim, stats.dim], data: stats.sigma },
      n: { shape: [1], data: Float64Array.of(stats.count) },
    });
  }
  const sigma: number[][] = [];
  for (let i = 0; i < stats.dim; i++) sigma.push(Array.from(stats.sigma.subarray(i * stats.dim, (i + 1) * stats.dim)));
  return new TextEncoder().encode(JSON.stringify({ format: 'ot-fid-stats', dim: stats.dim, count: stats.count, mu: Array.from(stats.mu), sigma }));
}

/** Parses statistics written by {@link encodeStatistics} or pytorch-fid (`.npz`). */
export async function decodeStatistics(bytes: Uint8Array, format: 'npz' | 'json'): Promise<GaussianStatistics> {
  if (format === 'npz') {
    const a = await decodeNpz(bytes);
    return fromArrays(a['mu'], a['sigma'], a['n']?.data[0] ?? 0, 'the .npz file');
  }
  let j: { mu?: number[]; sigma?: number[][]; count?: number };
  try {
    j = JSON.parse(new TextDecoder().decode(bytes)) as typeof j;
  } catch (e) {
    throw new OTError('INVALID_FILE', `statistics JSON does not parse: ${(e as Error).message}`);
  }
  if (!Array.isArray(j.mu) || !Array.isArray(j.sigma)) throw new OTError('INVALID_FILE', "statistics JSON must hold 'mu' and 'sigma' arrays");
  const d = j.mu.length;
  const sigma = new Float64Array(d * d);
  j.sigma.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== d) throw new OTError('INVALID_FILE', `statistics JSON: sigma row ${i} must have ${d} entries`);
    sigma.set(r, i * d);
  });
  if (j.sigma.length !== d) throw new OTError('INVALID_FILE', `statistics JSON: sigma must have ${d} rows`);
  return { mu: Float64Array.from(j.mu), sigma, dim: d, count: j.count ?? 0 };
}

function formatOf(path: string): 'npz' | 'json' {
  if (path.endsWith('.npz')) return 'npz';
  if (path.endsWith('.json')) return 'json';
  throw new OTError('INVALID_ARGUMENT', `statistics files must end in .npz or .json, got ${path}`);
}

/**
 * Writes statistics to `path` (`.npz` or `.json`, by extension). Node only.
 *
 * @example
 * ```ts
 * await saveStatistics('mnist-train.npz', await computeStatistics(source, { extractor }));
 * ```
 */
export async function saveStatistics(path: string, stats: GaussianStatistics): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path, encodeStatistics(stats, formatOf(path)));
}

/**
 * Reads statistics from `path` (`.npz` — also pytorch-fid's — or `.json`). Node only.
 *
 * @example
 * ```ts
 * const ref = await loadStatistics('fid_stats_cifar10_train.npz');
 * const value = await fid(ref, generatorSource, { extractor });
 * ```
 */
export async function loadStatistics(path: string): Promise<GaussianStatistics> {
  const { readFile } = await import('node:fs/promises');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new OTError('INVALID_FILE', `cannot read statistics file ${path}: ${(e as Error).message}`);
  }
  return decodeStatistics(bytes, formatOf(path));
}
