import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOTError } from '@ot/core';
import { decodeNpz, decodeStatistics, encodeStatistics, featureStatistics, loadStatistics, saveStatistics } from '../src/index.js';
import { genFeatures } from './generated.js';

const stats = featureStatistics(genFeatures(9, 30, 5), 5);

describe('statistics files', () => {
  it('round-trips .npz and .json exactly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ot-stats-'));
    for (const ext of ['npz', 'json']) {
      const p = join(dir, `s.${ext}`);
      await saveStatistics(p, stats);
      const back = await loadStatistics(p);
      expect(back.dim).toBe(5);
      expect(back.count).toBe(30);
      expect(Array.from(back.mu)).toEqual(Array.from(stats.mu));
      expect(Array.from(back.sigma)).toEqual(Array.from(stats.sigma));
    }
  });

  it('reads NumPy-written .npz (np.savez and np.savez_compressed, ZIP64 headers)', async () => {
    // written by scripts/fixtures/metrics_refs.py: mu = [0.5, -1, 2], sigma = [[2, .5, 0], [.5, 1, 0], [0, 0, 3]]
    for (const name of ['numpy_stats.npz', 'numpy_stats_compressed.npz']) {
      const bytes = new Uint8Array(await readFile(new URL(`./fixtures/${name}`, import.meta.url)));
      const s = await decodeStatistics(bytes, 'npz');
      expect(Array.from(s.mu)).toEqual([0.5, -1, 2]);
      expect(Array.from(s.sigma)).toEqual([2, 0.5, 0, 0.5, 1, 0, 0, 0, 3]);
      const arrays = await decodeNpz(bytes);
      expect(arrays['sigma']?.shape).toEqual([3, 3]);
    }
  });

  it('writes .npz that the zip structure describes correctly (readable by our reader from raw bytes)', async () => {
    const bytes = encodeStatistics(stats, 'npz');
    const a = await decodeNpz(bytes);
    expect(Object.keys(a).sort()).toEqual(['mu', 'n', 'sigma']);
    expect(a['n']?.data[0]).toBe(30);
  });

  it('bad files → OTError INVALID_FILE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ot-stats-'));
    const bad = join(dir, 'bad.npz');
    await writeFile(bad, 'not a zip');
    await expect(loadStatistics(bad)).rejects.toSatisfy((e: unknown) => isOTError(e, 'INVALID_FILE'));
    await expect(loadStatistics(join(dir, 'missing.json'))).rejects.toSatisfy((e: unknown) => isOTError(e, 'INVALID_FILE'));
    const j = join(dir, 'x.json');
    await writeFile(j, JSON.stringify({ mu: [1, 2], sigma: [[1]] }));
    await expect(loadStatistics(j)).rejects.toSatisfy((e: unknown) => isOTError(e, 'INVALID_FILE'));
    await expect(saveStatistics(join(dir, 'x.txt'), stats)).rejects.toSatisfy((e: unknown) => isOTError(e, 'INVALID_ARGUMENT'));
  });
});
