/**
 * W2 benchmark: trains W2GN and NeuralDual (objective amortization + L-BFGS fine-tuning, ICNN and
 * MLP potentials) on the Mix3→Mix10 pairs of Korotin et al. (NeurIPS 2021) and on the
 * high-dimensional Gaussians of W2GN (ICLR 2021), and prints L2-UVP beside the published numbers.
 * Budget: a fixed number of steps per run (default 200, batch 256), so results do not depend on
 * the machine's load; --seconds caps a run's training time.
 *
 *   pnpm --filter @ot/icnn bench:w2 [--pair path ...] [--gaussian D ...] [--iters N] [--seconds S]
 *        [--total-seconds T] [--methods w2gn,nd-icnn,nd-mlp] [--batch B] [--backend wasm|cpu]
 *        [--lr 1e-3] [--lr-decay none|cosine] [--lr-alpha A] [--beta1 0.9] [--beta2 0.999]
 *        [--adam-eps E]
 *        [--pretrain 100] [--w2gn-objective joint|reference] [--lambda L] [--sc S]
 *        [--hidden 64,64,32] [--seed 0] [--log-every K] [--eval-n 16384]
 *        [--weight-decay W] [--nd-hidden 64,64,32] [--amortizer-hidden 64,64] [--mlp-output-act]
 *        [--mlp-learn-quadratic] [--lbfgs-iters 20] [--gtol 1e-2] [--line-search L] [--amos] [--pretrain-std S]
 *        [--nd-pretrain N] [--nd-update alternating|simultaneous] [--nd-init identity|lecun]
 *        [--checkpoint DIR] [--checkpoint-every K]
 *
 * Training options (defaults reproduce the original table):
 *   --lr, --beta1, --beta2  Adam settings of every optimizer (potentials and amortizer).
 *   --adam-eps E            Adam's ε of every optimizer (default: tfjs's 1e-7; optax, used by
 *                           Amos 2023, has 1e-8 — not set by --amos, so that the logged --amos
 *                           runs stay reproducible).
 *   --lr-decay cosine       cosine-decay lr to lr·A (--lr-alpha, default 1e-4 as in Amos 2023's
 *                           configs) over the run's --iters steps; `none` keeps lr constant.
 *   --pretrain N            W2GN identity-pretraining steps (not counted in the training time).
 *   --pretrain-std S        pretrain on N(0, S²I) for both maps (the authors use S = 3) instead of
 *                           on samples of P and Q.
 *   --w2gn-objective        `joint` (our W2GN default) or `reference` (the authors' benchmark code:
 *                           ∇ψ̄ detached in the dual term, two-way cycle); see src/w2gn.ts.
 *   --lambda, --sc          W2GN's cycle weight and the ICNNs' strong convexity (defaults: pairs
 *                           λ = 20, sc = 1e-2; Gaussians λ = max(10, min(D, 50)), sc = 5e-2).
 *   --hidden                ICNN hidden widths (default: pairs [max(64, 2d), max(64, 2d), max(32, d)],
 *                           Gaussians [max(128, D), max(128, D), max(64, D)]).
 *   --seed                  seed of the initializations and of the training batches.
 *   --log-every K           print L2-UVP (4096 samples) every K steps; the table also shows the
 *                           lowest one logged (the authors report their best checkpoint).
 *   --weight-decay W        decoupled (AdamW) weight decay of every optimizer (default 0).
 *   --nd-hidden, --amortizer-hidden
 *                           widths of nd-mlp's potential (default 3 × max(64, 2d)) and of H
 *                           (default 2 × max(64, 2d)).
 *   --mlp-output-act        nd-mlp: activation on the potential's output layer (w2ot).
 *   --mlp-learn-quadratic   nd-mlp: trainable q of ½·q·‖x‖² (w2ot's log α).
 *   --lbfgs-iters, --gtol   NeuralDual's L-BFGS fine-tuning budget (default 20, 1e-2).
 *   --line-search L         its line search: `backtracking` (default), `parallel` (w2ot's
 *                           `lbfgs.yaml`: the 10 steps 1.5⁻ᵏ in one batch) or `sequential` (w2ot's
 *                           `parallel: False`: the same steps one at a time, the same point); see
 *                           ConjugateOptions.lineSearch. Not set by --amos, so that the logged
 *                           --amos runs reproduce.
 *   --ls-evaluations N      the grid's number of steps (default 10). w2ot's default solver,
 *                           `lbfgs_high_precision.yaml`, is `--gtol 1e-3 --line-search sequential
 *                           --ls-evaluations 30`.
 *   --nd-pretrain N         NeuralDual: pretrain ∇f to the identity for ≤ N steps on uniform points of
 *                           [−5, 5]^d (w2ot's data bounds; plain Adam lr 1e-3; stops early once the
 *                           loss is < 1e-6 after 1000 steps, as w2ot). Default 0. Our MlpPotential
 *                           starts as the identity map already, so it matters for nd-icnn only
 *                           (and with --nd-init lecun).
 *   --nd-update             NeuralDual's update order: `alternating` (default: H against the updated
 *                           f) or `simultaneous` (w2ot: both gradients at the step's start).
 *   --nd-init               nd-mlp's potential and H: `identity` (default: output layer at zero, so
 *                           ∇f = H = id from the start) or `lecun` (flax's default for every layer,
 *                           as w2ot; needs --nd-pretrain).
 *   --amos                  Amos (2023)'s benchmark configuration for NeuralDual
 *                           (facebookresearch/w2ot, nn_hd_benchmark.yaml + lbfgs.yaml): AdamW
 *                           lr 5e-4, β = (0.5, 0.5), weight decay 1e-4, cosine decay to ×1e-4 over
 *                           --iters; potential and H widths [2b, 2b, b], b = max(d, 32); ELU
 *                           (= CELU) with the output activation and trainable q; L-BFGS ≤ 100
 *                           iterations, gtol 0.1; --nd-pretrain 10001, --nd-update simultaneous,
 *                           --nd-init lecun. Flags given explicitly with
 *                           it win. (Amos also uses batch 1024 and 250 001 steps: pass --batch and
 *                           --iters.)
 *
 *   --checkpoint DIR        save each run's state (trainer variables and optimizers, batch RNG, step,
 *                           best logged, training seconds) to DIR/<bench>-d<d>-<method>-seed<seed>.json
 *                           every --checkpoint-every steps (default 5000) and at the end, and resume
 *                           from that file when it exists (same command line required; pretraining is
 *                           not repeated), so that a long run can span several sessions. A gzipped
 *                           copy beside it (<name>.json.gz, e.g. one kept in git between sessions) is
 *                           read too; of the two, the one further along is resumed.
 *                           SIGTERM or Ctrl-C during training finishes the current step, writes the
 *                           checkpoint and exits (a second signal exits at once), so a session can
 *                           end a run at any step without losing its progress.
 *
 * Without --pair/--gaussian: every pair in ../shared/benchmarks/w2/ (d = 2..32) and Gaussians
 * D = 2, 4, 8, 16, 32, 64 (pairs first, smallest first). Each run stops at --iters steps or after
 * --seconds of training, whichever comes first; runs that would start after --total-seconds are
 * skipped (and listed as such).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { createRng, initBackend, randomNormal, randomUniform, type Rng, type RngState } from '@ot/core';
import { l2Uvp, mapCosine } from '@ot/metrics';
import { DenseICNN, MlpPotential, NeuralDual, W2GN, highDimGaussianBenchmark, loadW2Benchmark, type LineSearch, type TrainerState, type W2Benchmark } from '../src/index.js';

const PUBLISHED: Record<number, { w2gn: number; mm: number; icnnAdam: number; mlpLbfgs: number }> = {
  2: { w2gn: 0.1, mm: 0.1, icnnAdam: 0.26, mlpLbfgs: 0.03 },
  4: { w2gn: 0.7, mm: 0.3, icnnAdam: 0.79, mlpLbfgs: 0.22 },
  8: { w2gn: 2.6, mm: 0.9, icnnAdam: 1.62, mlpLbfgs: 0.6 },
  16: { w2gn: 3.3, mm: 2.2, icnnAdam: 1.08, mlpLbfgs: 0.8 },
  32: { w2gn: 6.0, mm: 4.2, icnnAdam: 1.89, mlpLbfgs: 2.09 },
};

const { values } = parseArgs({
  options: {
    pair: { type: 'string', multiple: true },
    gaussian: { type: 'string', multiple: true },
    iters: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '600' },
    'total-seconds': { type: 'string', default: '1800' },
    methods: { type: 'string', default: 'w2gn,nd-icnn,nd-mlp' },
    batch: { type: 'string', default: '256' },
    backend: { type: 'string' },
    'eval-n': { type: 'string', default: '16384' },
    lr: { type: 'string', default: '1e-3' },
    'lr-decay': { type: 'string', default: 'none' },
    'lr-alpha': { type: 'string', default: '1e-4' },
    beta1: { type: 'string', default: '0.9' },
    beta2: { type: 'string', default: '0.999' },
    'adam-eps': { type: 'string' },
    pretrain: { type: 'string', default: '100' },
    'w2gn-objective': { type: 'string', default: 'joint' },
    lambda: { type: 'string' },
    sc: { type: 'string' },
    hidden: { type: 'string' },
    seed: { type: 'string', default: '0' },
    'log-every': { type: 'string', default: '0' },
    'weight-decay': { type: 'string', default: '0' },
    'nd-hidden': { type: 'string' },
    'amortizer-hidden': { type: 'string' },
    'mlp-output-act': { type: 'boolean', default: false },
    'mlp-learn-quadratic': { type: 'boolean', default: false },
    'lbfgs-iters': { type: 'string', default: '20' },
    gtol: { type: 'string', default: '1e-2' },
    'line-search': { type: 'string' }, // no default: absent from the checkpoint's option key unless given
    'ls-evaluations': { type: 'string' }, // idem
    amos: { type: 'boolean', default: false },
    'pretrain-std': { type: 'string' },
    'nd-pretrain': { type: 'string', default: '0' },
    'nd-update': { type: 'string', default: 'alternating' },
    'nd-init': { type: 'string', default: 'identity' },
    checkpoint: { type: 'string' },
    'checkpoint-every': { type: 'string', default: '5000' },
  },
});
if (values.amos) {
  // Amos's settings, except where a flag was given explicitly (explicit flags win).
  const given = (k: string): boolean => process.argv.some((a) => a === `--${k}` || a.startsWith(`--${k}=`));
  const amos: Record<string, string | boolean> = {
    lr: '5e-4',
    beta1: '0.5',
    beta2: '0.5',
    'weight-decay': '1e-4',
    'lr-decay': 'cosine',
    'lr-alpha': '1e-4',
    'mlp-output-act': true,
    'mlp-learn-quadratic': true,
    'lbfgs-iters': '100',
    gtol: '0.1',
    'nd-pretrain': '10001',
    'nd-update': 'simultaneous',
    'nd-init': 'lecun',
  };
  for (const [k, v] of Object.entries(amos)) if (!given(k)) (values as Record<string, unknown>)[k] = v;
}
const amosWidths = (d: number): number[] => [2 * Math.max(d, 32), 2 * Math.max(d, 32), Math.max(d, 32)];
const widths = (flag: string | undefined, d: number, fallback: number[]): number[] =>
  flag !== undefined ? flag.split(',').map(Number) : values.amos ? amosWidths(d) : fallback;
const lbfgs = {
  solver: 'lbfgs' as const,
  maxIter: Number(values['lbfgs-iters']),
  gtol: Number(values.gtol),
  ...(values['line-search'] !== undefined ? { lineSearch: values['line-search'] as LineSearch } : {}),
  ...(values['ls-evaluations'] !== undefined ? { lsEvaluations: Number(values['ls-evaluations']) } : {}),
};

type Method = 'w2gn' | 'nd-icnn' | 'nd-mlp';
const methods = values.methods.split(',').map((m) => m.trim()) as Method[];
for (const m of methods) if (!['w2gn', 'nd-icnn', 'nd-mlp'].includes(m)) throw new Error(`unknown method ${m}`);
const iters = Number(values.iters);
const seconds = Number(values.seconds);
const totalSeconds = Number(values['total-seconds']);
const batch = Number(values.batch);
const evalN = Number(values['eval-n']);
const seed = Number(values.seed);
const pretrainSteps = Number(values.pretrain);
const logEvery = Number(values['log-every']);
const w2gnObjective = values['w2gn-objective'] as 'joint' | 'reference';
if (!['joint', 'reference'].includes(w2gnObjective)) throw new Error(`unknown --w2gn-objective ${w2gnObjective}`);
const ndUpdate = values['nd-update'] as 'alternating' | 'simultaneous';
if (!['alternating', 'simultaneous'].includes(ndUpdate)) throw new Error(`unknown --nd-update ${ndUpdate}`);
const ndInit = values['nd-init'] as 'identity' | 'lecun';
if (!['identity', 'lecun'].includes(ndInit)) throw new Error(`unknown --nd-init ${ndInit}`);
if (!['none', 'cosine'].includes(values['lr-decay'])) throw new Error(`unknown --lr-decay ${values['lr-decay']}`);
const adam = {
  lr: Number(values.lr),
  beta1: Number(values.beta1),
  beta2: Number(values.beta2),
  weightDecay: Number(values['weight-decay']),
  ...(values['adam-eps'] !== undefined ? { epsilon: Number(values['adam-eps']) } : {}),
  ...(values['lr-decay'] === 'cosine' ? { decaySteps: iters, decayAlpha: Number(values['lr-alpha']) } : {}),
};

interface Task {
  kind: 'pair' | 'gaussian';
  dim: number;
  path?: string;
}

const tasks: Task[] = [];
const sharedDir = fileURLToPath(new URL('../../../../shared/benchmarks/w2/', import.meta.url));
const pairPaths =
  values.pair ??
  (values.gaussian === undefined
    ? readdirSync(sharedDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => sharedDir + f)
    : []);
for (const path of pairPaths) {
  const m = /-d(\d+)\.json$/.exec(path);
  tasks.push({ kind: 'pair', dim: m ? Number(m[1]) : 0, path });
}
const gauss = values.gaussian ?? (values.pair === undefined ? ['2', '4', '8', '16', '32', '64'] : []);
for (const g of gauss) tasks.push({ kind: 'gaussian', dim: Number(g) });
tasks.sort((a, b) => (a.kind === b.kind ? a.dim - b.dim : a.kind === 'pair' ? -1 : 1)); // pairs first, then Gaussians; smallest first

const backend = await initBackend({ ...(values.backend !== undefined ? { backend: values.backend } : {}), quiet: true });
console.log(`backend ${backend}; per run: ≤ ${iters} steps or ${seconds} s of training, batch ${batch}; total budget ${totalSeconds} s`);
console.log(
  `Adam lr ${adam.lr} (${values['lr-decay'] === 'cosine' ? `cosine decay to ×${values['lr-alpha']}` : 'constant'}), β = (${adam.beta1}, ${adam.beta2}), ε ${adam.epsilon ?? '1e-7 (tfjs)'}, weight decay ${adam.weightDecay}; seed ${seed}${values.amos ? ' (--amos)' : ''}`,
);
console.log(
  `W2GN (${w2gnObjective} objective): DenseICNN, ${pretrainSteps} identity-pretraining steps (not counted in the training time); NeuralDual (${ndUpdate} updates, ${ndInit} init): objective amortization, L-BFGS fine-tuning (≤ ${lbfgs.maxIter} iterations, gtol ${lbfgs.gtol}${values['line-search'] !== undefined ? `, ${values['line-search']} line search` : ''}${values['ls-evaluations'] !== undefined ? ` over ${values['ls-evaluations']} steps` : ''})${methods.includes('nd-mlp') ? `; MLP potential${values['mlp-output-act'] ? ' with output activation' : ''}${values['mlp-learn-quadratic'] ? ', trainable q' : ''}` : ''}\n`,
);

interface RunResult {
  steps: number;
  secs: number;
  /** Lowest L2-UVP logged by --log-every (the authors keep the best checkpoint). */
  best?: { uvp: number; step: number };
}

interface Row {
  bench: string;
  dim: number;
  method: Method;
  steps: number;
  secs: number;
  uvp: number;
  cos: number;
  linear: number;
  published: string;
  best?: RunResult['best'];
}
const rows: Row[] = [];
const skipped: string[] = [];
const t0 = performance.now();

function hiddenFor(kind: Task['kind'], d: number): number[] {
  if (values.hidden !== undefined) return values.hidden.split(',').map(Number);
  return kind === 'gaussian' ? [Math.max(128, d), Math.max(128, d), Math.max(64, d)] : [Math.max(64, 2 * d), Math.max(64, 2 * d), Math.max(32, d)];
}

/** What a checkpoint file holds (see --checkpoint). */
interface Checkpoint {
  /** The options that shape the run: a resumed run must use the same. */
  config: string;
  step: number;
  secs: number;
  best?: RunResult['best'];
  rng: RngState;
  trainer: TrainerState;
}
const checkpointEvery = Number(values['checkpoint-every']);
/** The options a resumed run must share with the saved one (everything but the time budgets and the checkpoint flags). */
const runConfig = (label: string): string =>
  JSON.stringify({ label, ...values, seconds: undefined, 'total-seconds': undefined, checkpoint: undefined, 'checkpoint-every': undefined, pair: undefined, gaussian: undefined });

interface Trainer {
  step(x: tf.Tensor2D, y: tf.Tensor2D): unknown;
  getState(): Promise<TrainerState>;
  setState(s: TrainerState): Promise<void>;
}

/**
 * Loads the run's checkpoint into `t` when there is one — `path` or its gzipped copy `path.gz`,
 * whichever is further along; returns it (undefined for a fresh run).
 */
async function resume(path: string | undefined, label: string, t: Trainer): Promise<Checkpoint | undefined> {
  if (path === undefined) return undefined;
  const found = [path, `${path}.gz`]
    .filter((p) => existsSync(p))
    .map((p) => {
      const raw = readFileSync(p);
      return { p, c: JSON.parse((p.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as Checkpoint };
    })
    .sort((a, b) => b.c.step - a.c.step);
  if (found.length === 0) return undefined;
  const { p, c } = found[0]!;
  if (c.config !== runConfig(label)) throw new Error(`${p} was written with other options; delete it or use the same command line`);
  await t.setState(c.trainer);
  console.log(`  resumed from ${p} at step ${c.step} (${c.secs.toFixed(0)} s trained)`);
  return c;
}

async function save(path: string, c: Checkpoint): Promise<void> {
  const json = JSON.stringify(c, (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v));
  writeFileSync(`${path}.tmp`, json);
  renameSync(`${path}.tmp`, path); // a kill mid-write leaves the previous checkpoint intact
}

/** Set by SIGTERM / SIGINT while a checkpointed run trains: stop after the current step. */
let stopRequested = false;
let checkpointing = false;
const onSignal = (signal: NodeJS.Signals): void => {
  if (!checkpointing || stopRequested) process.exit(signal === 'SIGINT' ? 130 : 143);
  stopRequested = true;
  console.log(`  ${signal}: stopping after the current step and writing the checkpoint`);
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);

async function train(t: Trainer, bench: W2Benchmark, rng: Rng, mapFn: (x: tf.Tensor2D) => tf.Tensor2D, label: string, ckptPath: string | undefined, from?: Checkpoint): Promise<RunResult> {
  const start = performance.now();
  const secsBefore = from?.secs ?? 0;
  let evalSecs = 0; // time spent in --log-every evaluations and checkpoints, not counted as training
  let s = from?.step ?? 0;
  let best: RunResult['best'] = from?.best;
  const trained = (): number => secsBefore + (performance.now() - start) / 1000 - evalSecs;
  const checkpoint = async (): Promise<void> => {
    if (ckptPath === undefined) return;
    const e0 = performance.now();
    await save(ckptPath, { config: runConfig(label), step: s, secs: trained(), ...(best !== undefined ? { best } : {}), rng: rng.getState(), trainer: await t.getState() });
    evalSecs += (performance.now() - e0) / 1000;
  };
  checkpointing = ckptPath !== undefined;
  while (s < iters && trained() < seconds && !stopRequested) {
    const x = bench.sample(batch, rng);
    const y = bench.sampleTarget(batch, rng);
    t.step(x, y);
    tf.dispose([x, y]);
    s++;
    if (logEvery > 0 && s % logEvery === 0) {
      const e0 = performance.now();
      const uvp = l2Uvp(mapFn, (x) => bench.map(x), (n, r) => bench.sample(n, r), { n: 4096, outputVariance: bench.outputVariance, seed: 777 });
      evalSecs += (performance.now() - e0) / 1000;
      if (best === undefined || uvp < best.uvp) best = { uvp, step: s };
      console.log(`  step ${s}: L2-UVP ${uvp.toFixed(2)} % (${trained().toFixed(0)} s)`);
    }
    if (s % checkpointEvery === 0) await checkpoint();
    else if (checkpointing) await new Promise(setImmediate); // lets a pending SIGTERM / SIGINT handler run
  }
  await checkpoint();
  checkpointing = false;
  if (stopRequested) {
    console.log(`  stopped at step ${s} (${trained().toFixed(0)} s trained); checkpoint written to ${ckptPath}`);
    process.exit(0);
  }
  return { steps: s, secs: trained(), ...(best !== undefined ? { best } : {}) };
}

for (const task of tasks) {
  for (const method of methods) {
    const label = `${task.kind === 'pair' ? 'mix3→mix10' : 'gaussian'} d=${task.dim} ${method}`;
    if ((performance.now() - t0) / 1000 > totalSeconds) {
      skipped.push(label);
      continue;
    }
    const bench = task.kind === 'pair' ? await loadW2Benchmark(task.path!) : highDimGaussianBenchmark(task.dim, { seed: 0 });
    const d = bench.dim;
    const ckptPath = values.checkpoint !== undefined ? `${values.checkpoint}/${task.kind === 'pair' ? 'mix3tomix10' : 'gaussian'}-d${task.dim}-${method}-seed${seed}.json` : undefined;
    if (values.checkpoint !== undefined) mkdirSync(values.checkpoint, { recursive: true });
    let rng = createRng(seed + 1);
    const hidden = hiddenFor(task.kind, d);
    const sc = values.sc !== undefined ? Number(values.sc) : task.kind === 'gaussian' ? 5e-2 : 1e-2;
    let mapFn: (x: tf.Tensor2D) => tf.Tensor2D;
    let dispose: () => void;
    let run: RunResult;
    if (method === 'w2gn') {
      const lambda = values.lambda !== undefined ? Number(values.lambda) : task.kind === 'gaussian' ? Math.max(10, Math.min(d, 50)) : 20;
      const t = new W2GN({ icnn: { dim: d, hidden, rank: 1, strongConvexity: sc }, lambda, objective: w2gnObjective, optimizer: adam, seed });
      const pretrainStd = values['pretrain-std'] !== undefined ? Number(values['pretrain-std']) : undefined;
      const from = await resume(ckptPath, label, t);
      for (let i = 0; i < (from === undefined ? pretrainSteps : 0); i++) {
        const x = pretrainStd !== undefined ? tf.tidy(() => tf.mul(randomNormal([batch, d], rng), pretrainStd) as tf.Tensor2D) : bench.sample(batch, rng);
        const y = pretrainStd !== undefined ? tf.tidy(() => tf.mul(randomNormal([batch, d], rng), pretrainStd) as tf.Tensor2D) : bench.sampleTarget(batch, rng);
        t.pretrainStep(x, y);
        tf.dispose([x, y]);
      }
      mapFn = (x) => t.map(x);
      if (from !== undefined) rng = createRng(from.rng);
      run = await train(t, bench, rng, mapFn, label, ckptPath, from);
      dispose = () => t.dispose();
    } else {
      const potential =
        method === 'nd-icnn'
          ? new DenseICNN({ dim: d, hidden, rank: 1, strongConvexity: sc, seed })
          : new MlpPotential({
              dim: d,
              hidden: widths(values['nd-hidden'], d, [Math.max(64, 2 * d), Math.max(64, 2 * d), Math.max(64, 2 * d)]),
              outputActivation: values['mlp-output-act'],
              learnQuadratic: values['mlp-learn-quadratic'],
              init: ndInit,
              seed,
            });
      const t = new NeuralDual({
        potential,
        amortization: 'objective',
        amortizerHidden: widths(values['amortizer-hidden'], d, [Math.max(64, 2 * d), Math.max(64, 2 * d)]),
        amortizerInit: ndInit,
        update: ndUpdate,
        finetune: lbfgs,
        optimizer: adam,
        amortizerOptimizer: adam,
        seed,
      });
      const from = await resume(ckptPath, label, t);
      const ndPretrain = from === undefined ? Number(values['nd-pretrain']) : 0;
      let pretrainLoss = Number.NaN;
      let i = 0;
      for (; i < ndPretrain && !(i > 1000 && pretrainLoss < 1e-6); i++) {
        const x = randomUniform([batch, d], rng, -5, 5) as tf.Tensor2D;
        const y = randomUniform([batch, d], rng, -5, 5) as tf.Tensor2D;
        pretrainLoss = t.pretrainStep(x, y);
        tf.dispose([x, y]);
      }
      if (ndPretrain > 0) console.log(`  identity pretraining: ${i} steps, loss ${pretrainLoss.toExponential(2)}`);
      mapFn = (x) => t.map(x);
      if (from !== undefined) rng = createRng(from.rng);
      run = await train(t, bench, rng, mapFn, label, ckptPath, from);
      dispose = () => {
        t.dispose();
        potential.dispose();
      };
    }
    const opts = { n: evalN, outputVariance: bench.outputVariance, seed: 12345 };
    const uvp = l2Uvp(mapFn, (x) => bench.map(x), (n, s) => bench.sample(n, s), opts);
    const cos = mapCosine(mapFn, (x) => bench.map(x), (n, s) => bench.sample(n, s), opts);
    const pub = PUBLISHED[d];
    const published =
      task.kind === 'gaussian'
        ? 'W2GN < 1'
        : pub === undefined
          ? '–'
          : method === 'w2gn'
            ? `W2GN ${pub.w2gn}`
            : method === 'nd-icnn'
              ? `ICNN+Adam ${pub.icnnAdam}`
              : `MLP+L-BFGS ${pub.mlpLbfgs}`;
    const row: Row = { bench: task.kind === 'pair' ? 'mix3→mix10' : 'gaussian', dim: d, method, ...run, uvp, cos, linear: bench.linearUvp, published };
    rows.push(row);
    console.log(
      `${label.padEnd(28)} steps ${String(run.steps).padStart(5)} in ${run.secs.toFixed(0).padStart(4)} s  L2-UVP ${uvp.toFixed(2).padStart(7)} %  cos ${cos.toFixed(3)}  linear ${bench.linearUvp.toFixed(2)}  published ${published}${run.best !== undefined ? `  (best logged ${run.best.uvp.toFixed(2)} % at step ${run.best.step})` : ''}`,
    );
    dispose();
    bench.dispose();
  }
}

console.log('\n| benchmark | d | method | steps | train s | L2-UVP % | best logged % (step) | cos | linear UVP % | published (REFERENCES.md) |');
console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of rows) {
  const best = r.best !== undefined ? `${r.best.uvp.toFixed(2)} (${r.best.step})` : '–';
  console.log(
    `| ${r.bench} | ${r.dim} | ${r.method} | ${r.steps} | ${r.secs.toFixed(0)} | ${r.uvp.toFixed(2)} | ${best} | ${r.cos.toFixed(3)} | ${r.linear.toFixed(2)} | ${r.published} |`,
  );
}
if (skipped.length > 0) console.log(`\nskipped (total budget exhausted): ${skipped.join('; ')}`);
console.log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(0)} s`);
