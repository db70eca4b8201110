/** File reading shared by the file-backed datasets: every failure is an `OTError('INVALID_FILE')` naming the file. */
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { OTError } from '@ot/core';

/** Reads a whole file, transparently gunzipping it when it starts with the gzip magic bytes. */
export function readMaybeGzip(path: string): Uint8Array {
  let raw: Buffer;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a regular file');
    raw = readFileSync(path);
  } catch (e) {
    throw new OTError('INVALID_FILE', `cannot read '${path}': ${(e as Error).message}`, { path });
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      raw = gunzipSync(raw);
    } catch (e) {
      throw new OTError('INVALID_FILE', `'${path}' looks gzipped but does not decompress: ${(e as Error).message}`, { path });
    }
  }
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
}

/** Checks that `path` is a readable directory. */
export function checkDirectory(path: string): void {
  let ok = false;
  try {
    ok = statSync(path).isDirectory();
  } catch (e) {
    throw new OTError('INVALID_FILE', `cannot open directory '${path}': ${(e as Error).message}`, { path });
  }
  if (!ok) throw new OTError('INVALID_FILE', `'${path}' is not a directory`, { path });
}
