/** The `ot-fid` command on small PNG folders (run from the TypeScript source with tsx). */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { loadMnist } from '../scripts/mnist-idx.js';

const bin = fileURLToPath(new URL('../src/bin/ot-fid.ts', import.meta.url));
const run = (args: string[]): string =>
  execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', bin, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OT_BACKEND: 'wasm' } });

async function writeFolder(dir: string, start: number, n: number, noise = false): Promise<void> {
  const test = loadMnist('test');
  await mkdir(dir, { recursive: true });
  for (let k = 0; k < n; k++) {
    const png = new PNG({ width: 28, height: 28 });
    for (let p = 0; p < 784; p++) {
      const v = noise ? (Math.imul(p + 1, 2654435761 + k) >>> 24) : test.images[(start + k) * 784 + p]!;
      png.data[4 * p] = png.data[4 * p + 1] = png.data[4 * p + 2] = v;
      png.data[4 * p + 3] = 255;
    }
    await writeFile(join(dir, `${String(k).padStart(4, '0')}.png`), PNG.sync.write(png));
  }
}

describe('ot-fid', () => {
  it('folders and statistics files → FID; --save-stats', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ot-fid-'));
    await writeFolder(join(root, 'a'), 0, 60);
    await writeFolder(join(root, 'b'), 60, 60);
    await writeFolder(join(root, 'noise'), 0, 60, true);
    // three processes only: each start (tsx + wasm) takes seconds
    expect(run(['--save-stats', join(root, 'a'), join(root, 'a.npz'), '--extractor', 'mnist'])).toMatch(/saved statistics/);
    const ab = JSON.parse(run([join(root, 'a.npz'), join(root, 'b'), '--extractor', 'mnist', '--json'])) as { fid: number; countA: number; countB: number };
    expect(ab.countA).toBe(60);
    expect(ab.countB).toBe(60);
    const text = run([join(root, 'a.npz'), join(root, 'noise')]);
    const m = /^FID:\s+(\S+)/.exec(text);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(5 * ab.fid);
  });
});
