/**
 * Benchmark (not a test): SW_2 forward + backward w.r.t. X on the active tfjs backend (wasm by
 * default), against PyTorch CPU in the same run, then the paper's Table 2 style ratios at a small
 * generator scale (Nguyen & Ho, NeurIPS 2022).
 *
 * Usage: pnpm bench [-- --backend wasm|cpu] [--reps 5] [--stock] [--no-torch] [--cases 0,1,2,3|none] [--no-table2]
 *   --stock     put back tfjs's stock TopK / ScatterNd / Tile / Transpose kernels (in place of @ot/core's)
 * Both sides use the same given directions (drawn once) and validation level 'shapes'.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, setValidationLevel } from '@ot/core';
import { LinearAmortizedSlicer, maxSlicedWasserstein, slicedWasserstein } from '../src/index.js';
import { useStockKernels } from './stock-kernels.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt;
};
const flag = (name: string) => args.includes(`--${name}`);
const backend = await initBackend({ backend: opt('backend', 'wasm'), quiet: true });
if (flag('stock')) useStockKernels(backend);
setValidationLevel('shapes');
const reps = Number(opt('reps', '5'));
const CASES: Array<[number, number, number]> = [
  [4096, 784, 1000],
  [1024, 3072, 1000],
  [65536, 64, 128],
  [10000, 2, 100],
];
const casesArg = opt('cases', '0,1,2,3');
const chosen = casesArg === 'none' ? [] : casesArg.split(',').map(Number);

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const k = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[k] as number) : ((s[k - 1] as number) + (s[k] as number)) / 2;
}

function timeIt(f: () => void, n: number): number[] {
  f(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f();
    out.push(performance.now() - t0);
  }
  return out;
}

const torchScript = fileURLToPath(new URL('./torch_sw.py', import.meta.url));
const python = '/usr/bin/python3';
function torchMedian(n: number, d: number, L: number): number | string {
  if (flag('no-torch')) return 'skipped (--no-torch)';
  if (!existsSync(python)) return 'skipped: /usr/bin/python3 not found';
  const r = spawnSync(python, [torchScript, String(n), String(d), String(L), String(reps)], {
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: '2' },
    encoding: 'utf8',
  });
  if (r.status !== 0) return `skipped: torch failed (${(r.stderr || '').trim().split('\n').pop() ?? ''})`;
  return (JSON.parse(r.stdout.trim().split('\n').pop() as string) as { median_ms: number }).median_ms;
}

const torchTable2Script = fileURLToPath(new URL('./torch_table2.py', import.meta.url));
interface TorchTable2 {
  median_ms: Record<string, number>;
  min_ms: Record<string, number>;
}
function torchTable2(rounds: number, block: number): TorchTable2 | string {
  if (flag('no-torch')) return 'skipped (--no-torch)';
  if (!existsSync(python)) return 'skipped: /usr/bin/python3 not found';
  const r = spawnSync(python, [torchTable2Script, String(rounds), String(block)], {
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: '2', TORCH_THREADS: '2' },
    encoding: 'utf8',
  });
  if (r.status !== 0) return `skipped: torch failed (${(r.stderr || '').trim().split('\n').pop() ?? ''})`;
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as TorchTable2;
}

console.log(`# SW_2 forward + backward w.r.t. X — backend ${backend}${flag('stock') ? ' (stock sort kernels)' : ' (@ot/core sort kernels)'}, ${reps} reps, ${new Date().toISOString()}`);
console.log('| n | d | L | ours median (ms) | torch CPU 2 threads median (ms) | ours / torch |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const idx of chosen) {
  const [n, d, L] = CASES[idx] as [number, number, number];
  const X = tf.randomNormal([n, d], 0, 1, 'float32', 1) as tf.Tensor2D;
  const Y = tf.add(tf.randomNormal([n, d], 0, 1, 'float32', 2), 1) as tf.Tensor2D;
  const P = tf.tidy(() => {
    const g = tf.randomNormal([d, L], 0, 1, 'float32', 3);
    return tf.div(g, tf.norm(g, 'euclidean', 0, true)) as tf.Tensor2D;
  });
  const ours = median(
    timeIt(() => {
      const g = tf.grad((x: tf.Tensor) => slicedWasserstein(x, Y, { projections: P }))(X);
      g.dataSync();
      g.dispose();
    }, reps),
  );
  tf.dispose([X, Y, P]);
  const torch = torchMedian(n, d, L);
  const ratio = typeof torch === 'number' ? (ours / torch).toFixed(2) : '—';
  console.log(`| ${n} | ${d} | ${L} | ${ours.toFixed(0)} | ${typeof torch === 'number' ? torch.toFixed(0) : torch} | ${ratio} |`);
}

if (!flag('no-table2')) {
  // Table 2 at a small generator scale: a 2-layer MLP generator (latent 32 → 256 → 64 features),
  // batch m = 128, one Adam generator step on the sliced loss against a fixed data batch.
  const m = 128;
  const dz = 32;
  const dOut = 64;
  const W1 = tf.variable(tf.mul(tf.randomNormal([dz, 256], 0, 1, 'float32', 5), 1 / Math.sqrt(dz)));
  const W2 = tf.variable(tf.mul(tf.randomNormal([256, dOut], 0, 1, 'float32', 6), 1 / Math.sqrt(256)));
  const data = tf.randomNormal([m, dOut], 0.5, 1, 'float32', 7) as tf.Tensor2D;
  const opt = tf.train.adam(2e-4, 0, 0.9);
  const gen = () => tf.matMul(tf.relu(tf.matMul(tf.randomNormal([m, dz]), W1)), W2) as tf.Tensor2D;
  const slicer = new LinearAmortizedSlicer(m, dOut, { seed: 0 });
  const swStep = (L: number) => () => {
    opt.minimize(() => slicedWasserstein(gen(), data, { nProjections: L, seed: 1 }), false, [W1, W2]);
  };
  const maxStep = (T2: number) => () => {
    const fake = tf.tidy(() => gen());
    const dir = tf.tidy(() => maxSlicedWasserstein(fake, data, { iterations: T2, lr: 1e-2 }).direction);
    fake.dispose();
    const D = tf.reshape(dir, [dOut, 1]);
    opt.minimize(() => slicedWasserstein(gen(), data, { projections: D }), false, [W1, W2]);
    tf.dispose([dir, D]);
  };
  // Algorithm 3 as @ot/gen's SlicedTrainer runs it: one forward G(z) serves the slicer's ascent
  // step (on a detached copy) and the generator step at the updated ψ.
  const laStep = () => {
    opt.minimize(
      () => {
        const fake = gen();
        slicer.step(fake, data).dispose();
        return slicer.loss(fake, data, { detachDirections: true });
      },
      false,
      [W1, W2],
    );
  };
  // Blocks of `block` timed steps of one kind (after 3 untimed ones), the blocks round-robin over
  // `rounds` rounds: load changes on a shared machine hit all four alike, and the large
  // SW(L = 10000) step does not disturb the timing of the small step after it. torch_table2.py
  // runs the same four steps, the same way, in PyTorch.
  const block = 10;
  const rounds = Math.max(Math.ceil((reps * 4) / block), 3);
  const fns: Array<[string, () => void]> = [
    ['sw1', swStep(1)],
    ['sw10k', swStep(10000)],
    ['la', laStep],
    ['max100', maxStep(100)],
  ];
  const times = new Map<string, number[]>(fns.map(([k]) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [k, f] of fns) {
      for (let i = 0; i < 3; i++) f();
      for (let i = 0; i < block; i++) {
        const t0 = performance.now();
        f();
        (times.get(k) as number[]).push(performance.now() - t0);
      }
    }
  }
  const torch = torchTable2(rounds, block);
  const med = (k: string) => median(times.get(k) as number[]);
  const min = (k: string) => Math.min(...(times.get(k) as number[]));
  const row = (label: string, k: string, base: string | undefined, paper: string) => {
    const ratio = (a: number, b: number) => (base === undefined ? '1' : (a / b).toFixed(2));
    const t = typeof torch === 'string' ? undefined : torch;
    const torchCols = t === undefined ? '— | —' : `${t.median_ms[k]!.toFixed(2)} | ${ratio(t.median_ms[k]!, t.median_ms[base ?? k]!)}`;
    console.log(`| ${label} | ${med(k).toFixed(2)} | ${min(k).toFixed(2)} | ${ratio(med(k), med(base ?? k))} | ${ratio(min(k), min(base ?? k))} | ${torchCols} | ${paper} |`);
  };
  console.log(`\n# Table 2 style, generator step (MLP 32→256→${dOut}, batch ${m}), ${rounds} rounds × ${block} steps of each kind`);
  console.log('| step | median (ms) | min (ms) | ratio of medians | ratio of mins | torch CPU median (ms) | torch ratio of medians | paper (CIFAR-10 it/s ratio) |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  row('SW L=1', 'sw1', undefined, '1');
  row('LA-SW vs SW L=1', 'la', 'sw1', `${(18.73 / 18.58).toFixed(2)} (target ≤ 1.05)`);
  row('Max-SW T2=100 vs LA-SW', 'max100', 'la', (18.58 / 13.47).toFixed(2));
  row('SW L=10000 vs SW L=1', 'sw10k', 'sw1', (18.73 / 5.84).toFixed(2));
  if (typeof torch === 'string') console.log(`torch: ${torch}`);
  slicer.dispose();
  tf.dispose([W1, W2, data]);
  opt.dispose();
}
