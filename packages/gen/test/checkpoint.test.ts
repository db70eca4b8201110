import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { OTError, initBackend } from '@ot/core';
import { SlicedTrainer, SnganTrainer, decodeCheckpoint, encodeCheckpoint, loadCheckpoint, saveCheckpoint, type Trainer } from '../src/index.js';
import { makeCritic, makeGenerator, toy, weightsOf } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ot-gen-ckpt-'));

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

describe('checkpoint files', () => {
  it('round-trip every array and the RNG state', async () => {
    const t = new SlicedTrainer({ loss: 'sw', L: 10, dataset: toy, batchSize: 32, seed: 3, makeGenerator, emaDecay: 0.9 });
    await t.run({ steps: 3 });
    const c = await t.checkpoint();
    const back = decodeCheckpoint(encodeCheckpoint(c));
    expect(back.step).toBe(3);
    expect(back.rng).toEqual(c.rng);
    expect(Object.keys(back.groups).sort()).toEqual(['ema', 'generator', 'generator.adam']);
    back.groups['generator']!.forEach((w, i) => expect(Array.from(w.values)).toEqual(Array.from(c.groups['generator']![i]!.values)));
    t.dispose();
  });

  it('detects truncation and corruption, naming the file', () => {
    const bytes = encodeCheckpoint({ kind: 'x', step: 1, rng: { kind: 'sfc32', s: [1, 2, 3, 4] }, meta: {}, groups: { g: [{ name: 'a', shape: [3], values: Float32Array.of(1, 2, 3) }] } });
    const file = join(dir, 'bad.otck');
    writeFileSync(file, bytes.subarray(0, bytes.length - 5));
    expect(() => loadCheckpoint(file)).toThrow(/bad\.otck.*(corrupt|truncated)/);
    const flipped = Buffer.from(bytes);
    flipped[20] = (flipped[20] as number) ^ 0xff;
    writeFileSync(file, flipped);
    expect(() => loadCheckpoint(file)).toThrow(OTError);
    expect(() => loadCheckpoint(join(dir, 'missing'))).toThrow(/no checkpoint/);
  });
});

async function resumeEquals(make: () => Trainer, total: number, split: number): Promise<void> {
  const straight = make();
  await straight.run({ steps: total });
  const expected = weightsOf(straight);
  straight.dispose();

  const first = make();
  const path = join(dir, `resume-${first.kind}-${Math.random().toString(36).slice(2)}`);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(path);
  await first.run({ steps: split, checkpointEvery: split, checkpointPath: path });
  first.dispose();
  const second = make();
  await second.restore(loadCheckpoint(path));
  expect(second.iteration).toBe(split);
  await second.run({ steps: total - split });
  const got = weightsOf(second);
  second.dispose();
  expect(got.length).toBe(expected.length);
  got.forEach((w, i) => expect(Array.from(w), `array ${i}`).toEqual(Array.from(expected[i] as Float32Array)));
}

describe('resume equals an uninterrupted run (same seed, same backend)', () => {
  it('SW with EMA', () => resumeEquals(() => new SlicedTrainer({ loss: 'sw', L: 20, dataset: toy, batchSize: 32, seed: 1, makeGenerator, emaDecay: 0.9 }), 8, 4));
  it('LA-SW (slicer weights and its Adam state)', () => resumeEquals(() => new SlicedTrainer({ loss: 'la-sw', dataset: toy, batchSize: 32, seed: 1, makeGenerator }), 8, 3));
  it('Max-SW', () => resumeEquals(() => new SlicedTrainer({ loss: 'max-sw', t2: 3, dataset: toy, batchSize: 32, seed: 1, makeGenerator }), 6, 3));
  it('SNGAN (critic with spectral norm)', () => resumeEquals(() => new SnganTrainer({ dataset: toy, batchSize: 32, seed: 1, makeGenerator, makeCritic }), 6, 2));
  it('refuses a checkpoint of another configuration', async () => {
    const a = new SlicedTrainer({ loss: 'sw', L: 20, dataset: toy, batchSize: 32, seed: 1, makeGenerator });
    const b = new SlicedTrainer({ loss: 'sw', L: 21, dataset: toy, batchSize: 32, seed: 1, makeGenerator });
    await expect(b.restore(await a.checkpoint())).rejects.toThrow(/configuration/);
    a.dispose();
    b.dispose();
  });
  it('the configuration lists only the options the loss uses', async () => {
    const la = new SlicedTrainer({ loss: 'la-sw', L: 7, t2: 4, dataset: toy, batchSize: 32, seed: 1, makeGenerator });
    expect(la.config()).not.toHaveProperty('L');
    expect(la.config()).not.toHaveProperty('t2');
    expect(la.config()).not.toHaveProperty('nCritic');
    expect(la.config()).toHaveProperty('sliceLr');
    // so a checkpoint restores into an LA-SW trainer whose ignored L differs
    const other = new SlicedTrainer({ loss: 'la-sw', L: 99, dataset: toy, batchSize: 32, seed: 1, makeGenerator });
    await other.restore(await la.checkpoint());
    const sw = new SlicedTrainer({ loss: 'sw', L: 7, dataset: toy, batchSize: 32, seed: 1, makeGenerator });
    expect(sw.config()).toMatchObject({ L: 7 });
    expect(sw.config()).not.toHaveProperty('sliceLr');
    [la, other, sw].forEach((t) => t.dispose());
  });
});

describe('kill test', () => {
  it('a process killed (SIGKILL) while writing checkpoints never leaves a corrupt one', async () => {
    const file = join(dir, 'killed.otck');
    // The child runs the TypeScript sources through tsx, resolved from the repository root.
    const root = join(here, '..', '..', '..');
    const args = ['--conditions=source', '--import', 'tsx'];
    for (let round = 0; round < 2; round++) {
      const child = spawn(process.execPath, [...args, join(here, 'fixtures', 'checkpoint-writer.ts'), file], { stdio: ['ignore', 'pipe', 'pipe'], cwd: root });
      let saved = 0;
      let errors = '';
      child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child never saved: ${errors}`)), 90_000);
        child.stdout.on('data', (d: Buffer) => {
          saved += (d.toString().match(/saved/g) ?? []).length;
          // Kill at a varying point, usually in the middle of the next write.
          if (saved >= 2 + round) {
            clearTimeout(timer);
            setTimeout(() => {
              child.kill('SIGKILL');
              resolve();
            }, 3 + 7 * round);
          }
        });
      });
      await new Promise((r) => child.once('exit', r));
      const ckpt = loadCheckpoint(file);
      expect(ckpt.step).toBeGreaterThanOrEqual(2 + round);
      expect(ckpt.groups['generator']?.length).toBeGreaterThan(0);
    }
    // Only the checkpoint and possibly one stale temporary file (from the killed writer) remain.
    const names = readdirSync(dir).filter((n) => n.startsWith('killed'));
    expect(names).toContain('killed.otck');
    expect(readFileSync(file).length).toBeGreaterThan(2_000_000);
  });
});

describe('memory', () => {
  it('a trainer releases every tensor it created on dispose()', async () => {
    const before = tf.memory().numTensors;
    for (const loss of ['sw', 'max-sw', 'la-sw', 'na-sw'] as const) {
      const t = new SlicedTrainer({ loss, L: 5, t2: 2, dataset: toy, batchSize: 16, seed: 0, makeGenerator, emaDecay: 0.9 });
      await t.run({ steps: 2 });
      t.dispose();
    }
    const g = new SnganTrainer({ dataset: toy, batchSize: 16, seed: 0, makeGenerator, makeCritic });
    await g.step();
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stays flat over 200 steps (no tensor growth), SW and LA-SW with EMA', async () => {
    for (const loss of ['sw', 'la-sw'] as const) {
      const t = new SlicedTrainer({ loss, L: 20, dataset: toy, batchSize: 32, seed: 0, makeGenerator, emaDecay: 0.99 });
      await t.run({ steps: 10 });
      const before = tf.memory().numTensors;
      const bytes = tf.memory().numBytes;
      await t.run({ steps: 200 });
      expect(tf.memory().numTensors).toBe(before);
      expect(tf.memory().numBytes).toBe(bytes);
      t.dispose();
    }
  });
});

export { saveCheckpoint };
