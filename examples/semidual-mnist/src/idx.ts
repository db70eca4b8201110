/**
 * A small reader for the IDX format of the original MNIST files (LeCun et al.): a big-endian
 * header — magic 0x00000803 for unsigned-byte 3-D arrays (images), 0x00000801 for 1-D (labels) —
 * then the dimensions as uint32, then the bytes.
 */
import { readFileSync } from 'node:fs';

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols bytes, row-major. */
  pixels: Uint8Array;
}

/** Reads an IDX3 image file; throws on a malformed or truncated file. */
export function readIdxImages(path: string): IdxImages {
  const buf = readFileSync(path);
  if (buf.length < 16) throw new Error(`${path}: too short for an IDX3 header`);
  const magic = buf.readUInt32BE(0);
  if (magic !== 0x00000803) throw new Error(`${path}: not an IDX3 unsigned-byte file (magic 0x${magic.toString(16)})`);
  const count = buf.readUInt32BE(4);
  const rows = buf.readUInt32BE(8);
  const cols = buf.readUInt32BE(12);
  const need = 16 + count * rows * cols;
  if (buf.length < need) throw new Error(`${path}: truncated (${buf.length} bytes, header says ${need})`);
  return { count, rows, cols, pixels: new Uint8Array(buf.buffer, buf.byteOffset + 16, count * rows * cols) };
}
