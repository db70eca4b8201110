/**
 * Checkpoint files: everything a trainer needs to continue exactly (model, optimizer, EMA and
 * slicer weights, RNG state, step, config) in one binary file, written atomically: the bytes go to
 * a temporary file in the same directory, which is fsync'ed and then renamed over the target (and
 * the directory fsync'ed), so a process killed at any moment leaves either the previous checkpoint
 * or the new one, never a torn file. A CRC-32 over the contents detects any other corruption.
 *
 * Layout: `OTCK` magic, uint32 version, uint32 header length, JSON header (metadata and an index
 * of arrays), float32 payload, uint32 CRC-32 of everything before it (little-endian).
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { OTError, type RngState } from '@ot/core';
import type { NamedWeight } from '../models/module.js';

const MAGIC = 0x4b43544f; // 'OTCK' little-endian
const VERSION = 1;

/** The state of a trainer, as saved in a checkpoint. */
export interface TrainerCheckpoint {
  /** Trainer kind (`'sliced'`, `'sngan'`, ...). */
  readonly kind: string;
  /** Steps completed. */
  readonly step: number;
  /** RNG state of the trainer (data draws, latents, directions). */
  readonly rng: RngState;
  /** JSON-serializable configuration and extra state (loss history, ...). */
  readonly meta: Record<string, unknown>;
  /** Named groups of arrays: `generator`, `generator.adam`, `critic`, `ema`, ... */
  readonly groups: Record<string, NamedWeight[]>;
}

interface Header {
  kind: string;
  step: number;
  rng: RngState;
  meta: Record<string, unknown>;
  index: Array<{ group: string; name: string; shape: number[]; offset: number; length: number }>;
}

/** Serializes a checkpoint to bytes. */
export function encodeCheckpoint(ckpt: TrainerCheckpoint): Buffer {
  const index: Header['index'] = [];
  let offset = 0;
  for (const [group, arrays] of Object.entries(ckpt.groups)) {
    for (const w of arrays) {
      index.push({ group, name: w.name, shape: [...w.shape], offset, length: w.values.length });
      offset += w.values.length;
    }
  }
  const header: Header = { kind: ckpt.kind, step: ckpt.step, rng: ckpt.rng, meta: ckpt.meta, index };
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  // Pad the header so the float payload is 4-byte aligned.
  const pad = (4 - ((12 + json.length) % 4)) % 4;
  if (pad > 0) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const out = Buffer.alloc(12 + json.length + 4 * offset + 4);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(VERSION, 4);
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  const payload = new Float32Array(out.buffer, out.byteOffset + 12 + json.length, offset);
  let at = 0;
  for (const arrays of Object.values(ckpt.groups)) {
    for (const w of arrays) {
      payload.set(w.values, at);
      at += w.values.length;
    }
  }
  out.writeUInt32LE(crc32(out.subarray(0, out.length - 4)), out.length - 4);
  return out;
}

/**
 * Parses checkpoint bytes.
 *
 * @throws OTError `INVALID_FILE` (naming `name`) for a bad magic number, version, length or CRC
 */
export function decodeCheckpoint(buf: Uint8Array, name = 'checkpoint'): TrainerCheckpoint {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  if (b.length < 16 || b.readUInt32LE(0) !== MAGIC) throw new OTError('INVALID_FILE', `'${name}' is not an @ot/gen checkpoint`, { path: name });
  if (b.readUInt32LE(4) !== VERSION) throw new OTError('INVALID_FILE', `'${name}': unsupported checkpoint version ${b.readUInt32LE(4)}`, { path: name });
  const crc = b.readUInt32LE(b.length - 4);
  if (crc32(b.subarray(0, b.length - 4)) !== crc) {
    throw new OTError('INVALID_FILE', `'${name}' is corrupt or truncated (CRC mismatch)`, { path: name });
  }
  const hlen = b.readUInt32LE(8);
  let header: Header;
  try {
    header = JSON.parse(b.subarray(12, 12 + hlen).toString('utf8')) as Header;
  } catch {
    throw new OTError('INVALID_FILE', `'${name}': unreadable checkpoint header`, { path: name });
  }
  const total = (b.length - 16 - hlen) / 4;
  const payload = new Float32Array(b.buffer.slice(b.byteOffset + 12 + hlen, b.byteOffset + b.length - 4));
  const groups: Record<string, NamedWeight[]> = {};
  for (const e of header.index) {
    if (e.offset + e.length > total) throw new OTError('INVALID_FILE', `'${name}': array '${e.group}/${e.name}' exceeds the payload`, { path: name });
    (groups[e.group] ??= []).push({ name: e.name, shape: e.shape, values: payload.slice(e.offset, e.offset + e.length) });
  }
  return { kind: header.kind, step: header.step, rng: header.rng, meta: header.meta, groups };
}

/** Writes `bytes` to `path` atomically (temporary file, fsync, rename, directory fsync). */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  try {
    const dfd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Directory fsync is not supported everywhere (e.g. Windows); the rename is still atomic.
  }
}

/** The checkpoint file name inside a run directory. */
export const CHECKPOINT_FILE = 'checkpoint.otck';

/**
 * Saves a checkpoint atomically to `path` (a file, or a directory to hold {@link CHECKPOINT_FILE}).
 * @returns the file written
 * @example
 * ```ts
 * saveCheckpoint('runs/quick', await trainer.checkpoint());
 * ```
 */
export function saveCheckpoint(path: string, ckpt: TrainerCheckpoint): string {
  const file = path.endsWith('.otck') ? path : join(path, CHECKPOINT_FILE);
  try {
    writeFileAtomic(file, encodeCheckpoint(ckpt));
  } catch (e) {
    if (e instanceof OTError) throw e;
    throw new OTError('INVALID_FILE', `cannot write checkpoint '${file}': ${(e as Error).message}`, { path: file });
  }
  return file;
}

/**
 * Loads a checkpoint from a file or a run directory.
 *
 * @throws OTError `INVALID_FILE` naming the file when it is missing, truncated or corrupt
 */
export function loadCheckpoint(path: string): TrainerCheckpoint {
  const file = path.endsWith('.otck') ? path : join(path, CHECKPOINT_FILE);
  if (!existsSync(file)) throw new OTError('INVALID_FILE', `no checkpoint at '${file}'`, { path: file });
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new OTError('INVALID_FILE', `cannot read checkpoint '${file}': ${(e as Error).message}`, { path: file });
  }
  return decodeCheckpoint(bytes, file);
}

/** Removes stale temporary files left by a killed writer in the directory of `path`. */
export function cleanTemporaryFiles(path: string): void {
  const file = path.endsWith('.otck') ? path : join(path, CHECKPOINT_FILE);
  const tmp = `${file}.tmp-${process.pid}`;
  if (existsSync(tmp)) unlinkSync(tmp);
}
