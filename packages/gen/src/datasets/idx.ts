/**
 * The IDX format of LeCun, Cortes and Burges' MNIST distribution (and Fashion-MNIST, EMNIST, ...):
 * magic `0x00 0x00 <type> <rank>`, `rank` big-endian uint32 dimensions, then the values
 * (big-endian for multi-byte types). Files may be gzipped (`.gz` as distributed) or raw.
 */
import { OTError } from '@ot/core';
import { readMaybeGzip } from './files.js';

/** A decoded IDX array: dims and values (bytes stay bytes). */
export interface IdxArray {
  readonly shape: readonly number[];
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { size: number; name: string }> = {
  0x08: { size: 1, name: 'uint8' },
  0x09: { size: 1, name: 'int8' },
  0x0b: { size: 2, name: 'int16' },
  0x0c: { size: 4, name: 'int32' },
  0x0d: { size: 4, name: 'float32' },
  0x0e: { size: 8, name: 'float64' },
};

/**
 * Parses the bytes of an IDX file.
 *
 * @param bytes - the (decompressed) file contents
 * @param name - the file name used in error messages
 * @throws OTError `INVALID_FILE` for a bad magic number, an unknown type or a truncated body
 * @example
 * ```ts
 * const { shape, data } = parseIdx(readFileSync('t10k-labels-idx1-ubyte'), 'labels'); // [10000]
 * ```
 */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new OTError('INVALID_FILE', `'${name}' is not an IDX file (bad magic number)`, { path: name });
  }
  const type = TYPES[bytes[2] as number];
  const rank = bytes[3] as number;
  if (type === undefined) {
    throw new OTError('INVALID_FILE', `'${name}': unknown IDX element type 0x${(bytes[2] as number).toString(16)}`, { path: name });
  }
  if (rank === 0 || bytes.length < 4 + 4 * rank) {
    throw new OTError('INVALID_FILE', `'${name}': truncated IDX header (rank ${rank})`, { path: name });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = 4 + 4 * rank;
  const expected = offset + count * type.size;
  if (bytes.length < expected) {
    throw new OTError(
      'INVALID_FILE',
      `'${name}' is truncated: the header [${shape.join(', ')}] needs ${expected} bytes, the file has ${bytes.length}`,
      { path: name, expected, actual: bytes.length },
    );
  }
  if (type.size === 1) {
    const sub = bytes.slice(offset, expected);
    return { shape, data: type.name === 'int8' ? new Int8Array(sub.buffer) : sub };
  }
  const read = (i: number): number => {
    const p = offset + i * type.size;
    switch (type.name) {
      case 'int16':
        return view.getInt16(p, false);
      case 'int32':
        return view.getInt32(p, false);
      case 'float32':
        return view.getFloat32(p, false);
      default:
        return view.getFloat64(p, false);
    }
  };
  const data =
    type.name === 'int16' ? new Int16Array(count) : type.name === 'int32' ? new Int32Array(count) : type.name === 'float32' ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = read(i);
  return { shape, data };
}

/** Reads and parses an IDX file (gzipped or raw). */
export function readIdx(path: string): IdxArray {
  return parseIdx(readMaybeGzip(path), path);
}

/** Encodes a uint8 array as IDX bytes (for tests and for exporting samples). */
export function encodeIdxUint8(data: Uint8Array, shape: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}
