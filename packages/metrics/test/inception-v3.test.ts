/**
 * The FID Inception architecture with random weights: save → load → shapes, determinism, input
 * handling. The network itself runs on wasm only (≈ 5.7 GFLOP per 299×299 image is too slow on
 * the cpu backend for a unit test); the resize / scaling and pooling checks run on every backend.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { isOTError } from '@ot/core';
import { describeWithBackends, expectNoLeakedTensors, expectTensorsClose, loadFixture, testBackends } from '@ot/test-utils';
import { decodeNpy, encodeNpy, INCEPTION_CONVS, InceptionV3Extractor, inceptionParamShapes, inceptionPreprocess, resizeLikeTorch, saveRandomInceptionWeights } from '../src/index.js';

interface Refs {
  resize: { input: number[][][][]; size: [number, number]; output: number[][][][] };
  resize299: { sum: number; corner: number[][][]; center: number[][][] };
}
const refs = await loadFixture<Refs>(import.meta.url, './fixtures/metrics_refs.json');

describe('FID Inception architecture', () => {
  it('has the 94 BasicConv2d of pytorch-fid and 1008 logits', () => {
    expect(INCEPTION_CONVS).toHaveLength(94);
    const shapes = new Map(inceptionParamShapes());
    expect(shapes.get('Mixed_7c/branch_pool/kernel')).toEqual([1, 1, 2048, 192]);
    expect(shapes.get('Mixed_6e/branch7x7dbl_5/kernel')).toEqual([1, 7, 192, 192]);
    expect(shapes.get('fc/kernel')).toEqual([2048, 1008]);
    // torchvision's inception_v3 has 27,161,264 parameters, 23,834,568 without the aux head (3,326,696);
    // ours: BN weight+bias (2·C) folded into one bias (C), and a 1008-way fc instead of 1000-way
    const total = [...shapes.values()].reduce((s, sh) => s + sh.reduce((a, b) => a * b, 1), 0);
    const sumCout = INCEPTION_CONVS.reduce((s, c) => s + c.cout, 0);
    expect(total).toBe(27_161_264 - 3_326_696 - sumCout - (2048 * 1000 + 1000) + (2048 * 1008 + 1008));
  });
});

describeWithBackends('Inception preprocessing', () => {
  it('bilinear resize + 2x − 1 match torch F.interpolate(align_corners=False)', () => {
    const x = tf.tensor4d(refs.resize.input);
    const y = tf.tidy(() => tf.sub(tf.mul(resizeLikeTorch(x, refs.resize.size), 2), 1));
    expectTensorsClose(y, tf.tensor4d(refs.resize.output), { rtol: 1e-5, atol: 1e-5 });
    const big = inceptionPreprocess(tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D);
    expect(big.shape).toEqual([1, 299, 299, 3]);
    // fixture is the resize only; undo 2x − 1
    const unscaled = tf.tidy(() => tf.div(tf.add(big, 1), 2));
    expect(Math.abs(tf.sum(unscaled).dataSync()[0]! - refs.resize299.sum) / refs.resize299.sum).toBeLessThan(1e-4); // a float32 sum of 268k values
    expectTensorsClose(tf.slice(unscaled, [0, 0, 0, 0], [1, 3, 3, 3]), tf.tensor4d([refs.resize299.corner]), { rtol: 1e-5, atol: 1e-5 });
    expectTensorsClose(tf.slice(unscaled, [0, 148, 148, 0], [1, 3, 3, 3]), tf.tensor4d([refs.resize299.center]), { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([x, y, big, unscaled]);
  });

  it('3×3 average pooling does not count the padding (count_include_pad=False)', () => {
    const ones = tf.ones([1, 4, 5, 2]) as tf.Tensor4D;
    const p = tf.avgPool(ones, 3, 1, 'same');
    expectTensorsClose(p, tf.ones([1, 4, 5, 2]));
    tf.dispose([ones, p]);
  });
});

const wasm = testBackends().includes('wasm');
describe.runIf(wasm)('InceptionV3Extractor with random weights [wasm]', () => {
  let file = '';
  beforeAll(async () => {
    await tf.setBackend('wasm');
    const dir = await mkdtemp(join(tmpdir(), 'ot-inception-'));
    file = await saveRandomInceptionWeights(dir, 0);
  }, 600_000);

  it('loads, gives [b, 2048] features and [b, 1008] logits, deterministically, without leaks', async () => {
    const net = await InceptionV3Extractor.load(file);
    const gray = tf.randomUniform([1, 32, 32, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const images = tf.tile(gray, [1, 1, 1, 3]) as tf.Tensor4D;
    const out1 = await expectNoLeakedTensors(() => {
      const { features, logits } = net.extract(images);
      const r = [Array.from(features.dataSync()), Array.from(logits.dataSync()), features.shape, logits.shape] as const;
      tf.dispose([features, logits]);
      return r;
    });
    expect(out1[2]).toEqual([1, 2048]);
    expect(out1[3]).toEqual([1, 1008]);
    expect(out1[0].every(Number.isFinite)).toBe(true);
    expect(out1[0].some((v) => v > 0)).toBe(true);
    const again = net.extract(images);
    expect(Array.from(again.features.dataSync())).toEqual(out1[0]);
    tf.dispose([again.features, again.logits]);
    // a second load of the same file gives the same network; grayscale is repeated to 3 channels
    const net2 = await InceptionV3Extractor.load(file);
    const a = net2.extract(gray);
    expectTensorsClose(a.features, tf.tensor2d(out1[0], [1, 2048]), { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([a.features, a.logits, gray, images]);
    net.dispose();
    net2.dispose();
    expect(() => net.extract(images)).toThrow(/DISPOSED/);
  }, 600_000);

  it('bad inputs and files → OTError', async () => {
    const net = await InceptionV3Extractor.load(file);
    const codeOf = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return isOTError(e) ? e.code : String(e);
      }
      return undefined;
    };
    const twoChannels = tf.zeros([1, 8, 8, 2]) as tf.Tensor4D;
    const outOfRange = tf.fill([1, 8, 8, 3], 255) as tf.Tensor4D;
    const rank3 = tf.zeros([8, 8, 3]);
    expect(codeOf(() => net.extract(twoChannels))).toBe('INVALID_SHAPE');
    expect(codeOf(() => net.extract(outOfRange))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => net.extract(rank3 as unknown as tf.Tensor4D))).toBe('INVALID_SHAPE');
    tf.dispose([twoChannels, outOfRange, rank3]);
    net.dispose();
    await expect(InceptionV3Extractor.load('/nonexistent/inception')).rejects.toSatisfy((e: unknown) => isOTError(e, 'INVALID_FILE'));
    const mnistWeights = new URL('../weights/mnist-extractor.json', import.meta.url).pathname;
    await expect(InceptionV3Extractor.load(mnistWeights)).rejects.toSatisfy((e: unknown) => isOTError(e, 'INVALID_FILE'));
  });
});

const hasTorch = ((): boolean => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch, numpy'], { stdio: 'ignore', timeout: 120_000 });
    return true;
  } catch {
    return false;
  }
})();

describe.runIf(wasm && hasTorch)('InceptionV3Extractor vs a torch FID Inception [wasm, needs /usr/bin/python3 with torch]', () => {
  it('pool3 features and logits match torch with the same weights, converted by scripts/convert_pytorch_fid_weights.py', async () => {
    await tf.setBackend('wasm');
    const dir = await mkdtemp(join(tmpdir(), 'ot-inception-torch-'));
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    await writeFile(join(dir, 'in.npy'), encodeNpy({ shape: x.shape, data: Float64Array.from(x.dataSync()) }));
    const script = new URL('../scripts/convert_pytorch_fid_weights.py', import.meta.url).pathname;
    execFileSync('/usr/bin/python3', [script, '--selftest', join(dir, 'model'), join(dir, 'in.npy'), join(dir, 'out.npy')], {
      stdio: 'ignore',
      timeout: 900_000,
      env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
    });
    const ref = decodeNpy(new Uint8Array(await readFile(join(dir, 'out.npy'))));
    expect(ref.shape).toEqual([2, 2048 + 1008]);
    const net = await InceptionV3Extractor.load(join(dir, 'model'));
    const { features, logits } = net.extract(x);
    const f = features.dataSync();
    const l = logits.dataSync();
    let scaleF = 0;
    let scaleL = 0;
    let errF = 0;
    let errL = 0;
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2048; j++) {
        const r = ref.data[i * 3056 + j]!;
        scaleF = Math.max(scaleF, Math.abs(r));
        errF = Math.max(errF, Math.abs(f[i * 2048 + j]! - r));
      }
      for (let j = 0; j < 1008; j++) {
        const r = ref.data[i * 3056 + 2048 + j]!;
        scaleL = Math.max(scaleL, Math.abs(r));
        errL = Math.max(errL, Math.abs(l[i * 1008 + j]! - r));
      }
    }
    console.log(`Inception vs torch: max |Δ pool3| = ${errF.toExponential(2)} (max |pool3| ${scaleF.toFixed(3)}), max |Δ logits| = ${errL.toExponential(2)} (max ${scaleL.toFixed(3)})`);
    expect(errF / scaleF).toBeLessThan(1e-4);
    expect(errL / scaleL).toBeLessThan(1e-4);
    tf.dispose([x, features, logits]);
    net.dispose();
  }, 1_000_000);
});
