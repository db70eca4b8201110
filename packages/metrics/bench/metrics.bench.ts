/**
 * Benchmarks for the package README (run: `pnpm --filter @ot/metrics bench`):
 * 1. Fréchet distance at d = 2048 (full-rank low-rank + diagonal covariances, and singular
 *    covariances of 600 samples) against pytorch-fid's SciPy route on the same machine, plus
 *    ml-matrix's symmetric EigenvalueDecomposition at 2048 for comparison;
 * 2. extractor throughput (images/s): the MNIST extractor and a randomly initialized FID
 *    InceptionV3 on 32×32 inputs resized to 299, on wasm (and MNIST on cpu).
 * Flags: --skip-scipy, --skip-ml-matrix, --skip-inception, --reps N.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { initBackend } from '@ot/core';
import { InceptionV3Extractor, MnistExtractor, featureStatistics, frechetDistance, saveRandomInceptionWeights, type FeatureExtractor } from '../src/index.js';
import { genFeatures, genLowRankCov, genMean } from '../test/generated.js';

const { values } = parseArgs({
  options: {
    'skip-scipy': { type: 'boolean', default: false },
    'skip-ml-matrix': { type: 'boolean', default: false },
    'skip-inception': { type: 'boolean', default: false },
    reps: { type: 'string', default: '3' },
  },
});
const reps = Number(values.reps);
const rows: string[] = [];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timeIt(f: () => void, n = reps): number {
  const ts: number[] = [];
  for (let r = 0; r < n; r++) {
    const t0 = performance.now();
    f();
    ts.push((performance.now() - t0) / 1000);
  }
  return median(ts);
}

// ---- 1. Fréchet distance, d = 2048
const d = 2048;
const s1 = genLowRankCov(11, d);
const s2 = genLowRankCov(12, d);
const m1 = genMean(13, d);
const m2 = genMean(14, d);
let fidFull = 0;
const tFull = timeIt(() => {
  fidFull = frechetDistance(m1, s1, m2, s2);
});
const a = featureStatistics(genFeatures(21, 600, d), d);
const b = featureStatistics(genFeatures(22, 600, d, 8, 0.3), d);
let fidSing = 0;
const tSing = timeIt(() => {
  fidSing = frechetDistance(a.mu, a.sigma, b.mu, b.sigma);
});
console.log(`frechetDistance d=2048 full rank: ${tFull.toFixed(2)} s (FID ${fidFull.toFixed(6)}); singular (600 samples): ${tSing.toFixed(2)} s (FID ${fidSing.toFixed(6)})`);

let scipyFull = NaN;
let scipySing = NaN;
if (!values['skip-scipy']) {
  const fixtures = fileURLToPath(new URL('../../../scripts/fixtures', import.meta.url));
  const py = `
import sys, time, os
sys.path.insert(0, ${JSON.stringify(fixtures)})
import numpy as np
from metrics_refs import gen_lowrank_cov, gen_mean, gen_features, fid_scipy
d = 2048
s1, s2 = gen_lowrank_cov(11, d), gen_lowrank_cov(12, d)
m1, m2 = gen_mean(13, d), gen_mean(14, d)
def med(f, n=1):
    ts = []
    for _ in range(n):
        t0 = time.time(); f(); ts.append(time.time() - t0)
    return sorted(ts)[len(ts) // 2]
t_full = med(lambda: fid_scipy(m1, s1, m2, s2))
x1, x2 = gen_features(21, 600, d), gen_features(22, 600, d, shift=0.3)
a = (x1.mean(0), np.cov(x1, rowvar=False)); b = (x2.mean(0), np.cov(x2, rowvar=False))
t_sing = med(lambda: fid_scipy(a[0], a[1], b[0], b[1]))
print(t_full, t_sing)
`;
  const out = execFileSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' } }).trim().split(/\s+/);
  scipyFull = Number(out.at(-2));
  scipySing = Number(out.at(-1));
  console.log(`scipy (pytorch-fid route): full ${scipyFull.toFixed(2)} s, singular ${scipySing.toFixed(2)} s`);
}
rows.push('| Fréchet distance, d = 2048, full rank | ' + `${tFull.toFixed(2)} s | ${scipyFull.toFixed(2)} s | ${(tFull / scipyFull).toFixed(2)} |`);
rows.push('| Fréchet distance, d = 2048, 600 samples (rank 599) | ' + `${tSing.toFixed(2)} s | ${scipySing.toFixed(2)} s | ${(tSing / scipySing).toFixed(2)} |`);

if (!values['skip-ml-matrix']) {
  const mat = new Matrix(Array.from({ length: d }, (_, i) => Array.from(s1.subarray(i * d, (i + 1) * d))));
  const tMl = timeIt(() => void new EigenvalueDecomposition(mat, { assumeSymmetric: true }), 1);
  console.log(`ml-matrix EigenvalueDecomposition(assumeSymmetric) d=2048: ${tMl.toFixed(2)} s`);
  rows.push(`| ml-matrix symmetric EigenvalueDecomposition, d = 2048 (one eigendecomposition) | ${tMl.toFixed(2)} s | | |`);
}

// ---- 2. extractor throughput
async function throughput(backend: string, net: FeatureExtractor, size: number, batch: number, batches: number): Promise<number> {
  const x = tf.randomUniform([batch, size, size, net.name === 'mnist' ? 1 : 3], 0, 1, 'float32', 0) as tf.Tensor4D;
  const run = (): void => {
    const { features, logits } = net.extract(x);
    features.dataSync();
    tf.dispose([features, logits]);
  };
  run(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < batches; i++) run();
  const ips = (batch * batches) / ((performance.now() - t0) / 1000);
  x.dispose();
  console.log(`${net.name} on ${backend}, ${size}×${size}, batch ${batch}: ${ips.toFixed(1)} images/s`);
  return ips;
}
const thr: string[] = [];
for (const backend of ['wasm', 'cpu']) {
  await initBackend({ backend, quiet: true });
  const mnist = await MnistExtractor.load();
  thr.push(`| MNIST extractor | ${backend} | 28×28, batch 500 | ${(await throughput(backend, mnist, 28, 500, backend === 'wasm' ? 10 : 2)).toFixed(0)} |`);
  mnist.dispose();
}
if (!values['skip-inception']) {
  await initBackend({ backend: 'wasm', quiet: true });
  const dir = await mkdtemp(join(tmpdir(), 'ot-inception-bench-'));
  const net = await InceptionV3Extractor.load(await saveRandomInceptionWeights(dir, 0));
  thr.push(`| FID InceptionV3 (random weights) | wasm | 32×32 → 299, batch 8 | ${(await throughput('wasm', net, 32, 8, 3)).toFixed(2)} |`);
  net.dispose();
}

console.log('\n| computation | ours (JS, float64) | SciPy 1.10 (`sqrtm`, pytorch-fid) | ratio |\n| --- | --- | --- | --- |');
console.log(rows.join('\n'));
console.log('\n| extractor | backend | input | images/s |\n| --- | --- | --- | --- |');
console.log(thr.join('\n'));
