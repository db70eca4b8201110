/**
 * Table 1 of Nguyen & Ho (NeurIPS 2022, "Amortized Projection Optimization for Sliced Wasserstein
 * Generative Models") at MNIST scale: FID after the same budget of steps for SNGAN, SW, Max-SW,
 * LA-SW, GA-SW, NA-SW and the semi-dual generator, over several seeds (mean ± std).
 *
 * Each run is `ot train --loss <method> --steps STEPS --seed <s> --fid-samples FID_N` — the command
 * users run, with its defaults (MLP generator on MNIST pixels, batch 256) — and the figures are read
 * back from its `report.json`. Needs `pnpm build` first (it runs `packages/cli/dist/bin.js`).
 *
 * Run: `pnpm --filter @ot/gen bench:table1`
 *   env STEPS (default 300), SEEDS (default "0,1,2"), FID_N (default 5000), ONLY (comma list of
 *   run keys, e.g. `sw,la-sw-critic`), OUT (JSON file, default bench/results/table1.json), RUNS (run dirs, default runs/table1)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const bin = join(root, 'packages/cli/dist/bin.js');

const STEPS = Number(process.env['STEPS'] ?? 300);
const SEEDS = (process.env['SEEDS'] ?? '0,1,2').split(',').map(Number);
const FID_N = Number(process.env['FID_N'] ?? 5000);
const OUT = resolve(here, '..', process.env['OUT'] ?? 'bench/results/table1.json');
const RUNS = resolve(root, process.env['RUNS'] ?? 'runs/table1');

// `key` names the run (and ONLY filters on it); `args` are the flags beyond --loss.
const METHODS: Array<{ key: string; loss: string; args: string[]; label: string }> = [
  { key: 'sngan', loss: 'sngan', args: [], label: 'SNGAN (hinge, MLP critic)' },
  { key: 'sw', loss: 'sw', args: [], label: 'SW (L = 500)' },
  { key: 'max-sw', loss: 'max-sw', args: [], label: 'Max-SW (T2 = 10)' },
  { key: 'la-sw', loss: 'la-sw', args: ['--critic', 'none'], label: 'LA-SW on pixels' },
  { key: 'ga-sw', loss: 'ga-sw', args: ['--critic', 'none'], label: 'GA-SW on pixels' },
  { key: 'na-sw', loss: 'na-sw', args: ['--critic', 'none'], label: 'NA-SW on pixels' },
  { key: 'la-sw-critic', loss: 'la-sw', args: ['--critic', 'mlp'], label: 'LA-SW on MLP-critic features' },
  { key: 'ga-sw-critic', loss: 'ga-sw', args: ['--critic', 'mlp'], label: 'GA-SW on MLP-critic features' },
  { key: 'na-sw-critic', loss: 'na-sw', args: ['--critic', 'mlp'], label: 'NA-SW on MLP-critic features' },
  { key: 'semidual', loss: 'semidual', args: [], label: 'semi-dual (SDOT, λ = 0)' },
];
const only = process.env['ONLY']?.split(',');

interface Run {
  key: string;
  loss: string;
  seed: number;
  fid: number;
  itPerSec: number;
  wallSec: number;
}
const runs: Run[] = [];
for (const { key, loss, args: extra } of METHODS) {
  if (only !== undefined && !only.includes(key)) continue;
  for (const seed of SEEDS) {
    const out = join(RUNS, `${key}-s${seed}`);
    const args = [bin, 'train', '--loss', loss, ...extra, '--steps', String(STEPS), '--seed', String(seed), '--fid-samples', String(FID_N), '--out', out, '--quiet'];
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`ot train --loss ${loss} ${extra.join(' ')} --seed ${seed} exited with ${r.status}`);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      metrics: { fid: { value: number } };
      timings: { itPerSec: number };
    };
    const run = { key, loss, seed, fid: report.metrics.fid.value, itPerSec: report.timings.itPerSec, wallSec: (performance.now() - t0) / 1000 };
    runs.push(run);
    console.log(`${key} seed ${seed}: FID ${run.fid.toFixed(1)}, ${run.itPerSec.toFixed(2)} it/s, ${run.wallSec.toFixed(0)} s`);
  }
}

const meanStd = (xs: number[]): [number, number] => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.length > 1 ? xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) : 0;
  return [m, Math.sqrt(v)];
};
const rows = METHODS.filter(({ key }) => runs.some((r) => r.key === key)).map(({ key, loss, label }) => {
  const mine = runs.filter((r) => r.key === key);
  const [fidMean, fidStd] = meanStd(mine.map((r) => r.fid));
  const [itMean] = meanStd(mine.map((r) => r.itPerSec));
  return { key, loss, label, fidMean, fidStd, fids: mine.map((r) => r.fid), itPerSec: itMean, seeds: mine.length };
});

console.log(`\nTable 1 at MNIST scale: ${STEPS} steps, seeds ${SEEDS.join(', ')}, FID (MNIST extractor) on ${FID_N} samples vs MNIST test\n`);
console.log('| method | FID ↓ (mean ± std) | per seed | it/s |');
console.log('| --- | ---: | --- | ---: |');
for (const r of rows) {
  console.log(`| ${r.label} | ${r.fidMean.toFixed(1)} ± ${r.fidStd.toFixed(1)} | ${r.fids.map((f) => f.toFixed(1)).join(', ')} | ${r.itPerSec.toFixed(2)} |`);
}
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify({ steps: STEPS, seeds: SEEDS, fidSamples: FID_N, runs, rows }, null, 2)}\n`);
console.log(`\nwrote ${OUT}`);
