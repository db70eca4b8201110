#!/usr/bin/env node
/**
 * Selective installs: checks that each library package works when a user installs it alone.
 *
 * For each of @ot/core, @ot/sliced, @ot/semidual, @ot/icnn, @ot/metrics, @ot/gen:
 *   1. builds it (turbo, with its upstream packages) unless --no-build;
 *   2. packs it and the @ot packages it depends on (`pnpm pack`: workspace ranges become versions);
 *   3. lints the tarball with publint (errors fail the check; warnings are printed);
 *   4. creates a scratch npm project outside the workspace, `npm install`s the tarballs with
 *      @tensorflow/tfjs-core and @tensorflow/tfjs-backend-wasm from the registry, and
 *   5. imports the package in a fresh `node` and calls one function, checking the result.
 * Prints a summary table; exits non-zero when any package fails.
 *
 * Usage: node scripts/check-packages.mjs [--no-build] [--keep] [@ot/core @ot/sliced ...]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const PUBLINT = 'publint@0.3.25';
const PEERS = ['@tensorflow/tfjs-core@4.22.0', '@tensorflow/tfjs-backend-wasm@4.22.0'];

/**
 * One smoke test per package: an ES module body run with `node --input-type=module` in the scratch
 * project. It must print one line of JSON; it throws (exit code ≠ 0) when the result is wrong.
 */
const SMOKE = {
  '@ot/core': `
    import * as tf from '@tensorflow/tfjs-core';
    import { initBackend, wasserstein1d } from '@ot/core';
    const backend = await initBackend({ quiet: true });
    const w = (await wasserstein1d(tf.tensor1d([0, 1]), tf.tensor1d([2, 3]), { p: 1 }).data())[0];
    if (!(Math.abs(w - 2) < 1e-5)) throw new Error('wasserstein1d([0,1],[2,3],p=1) = ' + w + ', expected 2');
    console.log(JSON.stringify({ backend, call: 'wasserstein1d', value: w }));`,
  '@ot/sliced': `
    import * as tf from '@tensorflow/tfjs-core';
    import { initBackend } from '@ot/core';
    import { slicedWasserstein } from '@ot/sliced';
    const backend = await initBackend({ quiet: true });
    const x = tf.randomNormal([64, 2], 0, 1, 'float32', 1);
    const sw = (await slicedWasserstein(x, tf.add(x, tf.tensor1d([1, 0])), { nProjections: 200, seed: 0 }).data())[0];
    // Translation by t: SW_2^2 = |t|^2 / d = 0.5 in expectation over directions.
    if (!(sw > 0.55 && sw < 0.85)) throw new Error('SW_2 of a unit translation in 2D = ' + sw + ', expected about 0.707');
    console.log(JSON.stringify({ backend, call: 'slicedWasserstein', value: sw }));`,
  '@ot/semidual': `
    import * as tf from '@tensorflow/tfjs-core';
    import { initBackend, sqeuclideanCost } from '@ot/core';
    import { sinkhorn } from '@ot/semidual';
    const backend = await initBackend({ quiet: true });
    const x = tf.tensor2d([[0, 0], [1, 0]]);
    const M = sqeuclideanCost(x, tf.add(x, tf.tensor1d([0, 1])));
    const res = sinkhorn(undefined, undefined, M, { reg: 0.05 });
    const value = res.transportCost;
    res.dispose();
    // Two points shifted by 1: the optimal plan is the identity, cost 1 (entropy adds ~0).
    if (!(Math.abs(value - 1) < 0.05)) throw new Error('sinkhorn transport cost = ' + value + ', expected about 1');
    console.log(JSON.stringify({ backend, call: 'sinkhorn', value }));`,
  '@ot/icnn': `
    import * as tf from '@tensorflow/tfjs-core';
    import { initBackend } from '@ot/core';
    import { DenseICNN } from '@ot/icnn';
    const backend = await initBackend({ quiet: true });
    const psi = new DenseICNN({ dim: 2, hidden: [8, 8], seed: 0 });
    const t = psi.push(tf.randomNormal([4, 2], 0, 1, 'float32', 1));
    const ok = t.shape.join() === '4,2' && (await tf.all(tf.isFinite(t)).data())[0] === 1;
    psi.dispose();
    if (!ok) throw new Error('DenseICNN.push gave shape ' + t.shape + ' or non-finite values');
    console.log(JSON.stringify({ backend, call: 'DenseICNN.push', shape: t.shape }));`,
  '@ot/metrics': `
    import { initBackend } from '@ot/core';
    import { frechetDistance } from '@ot/metrics';
    const backend = await initBackend({ quiet: true });
    const value = frechetDistance([0, 0], [[1, 0], [0, 1]], [1, 0], [[1, 0], [0, 1]]);
    if (!(Math.abs(value - 1) < 1e-6)) throw new Error('frechetDistance = ' + value + ', expected 1');
    console.log(JSON.stringify({ backend, call: 'frechetDistance', value }));`,
  '@ot/gen': `
    import * as tf from '@tensorflow/tfjs-core';
    import { initBackend } from '@ot/core';
    import { toyDataset } from '@ot/gen';
    const backend = await initBackend({ quiet: true });
    const x = toyDataset('8gaussians').sample(16, 0);
    if (x.shape.join() !== '16,2' || (await tf.all(tf.isFinite(x)).data())[0] !== 1) throw new Error('toyDataset sample shape ' + x.shape);
    console.log(JSON.stringify({ backend, call: 'toyDataset.sample', shape: x.shape }));`,
};

const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const keep = args.includes('--keep');
const chosen = args.filter((a) => !a.startsWith('--'));
const targets = chosen.length > 0 ? chosen : Object.keys(SMOKE);
for (const t of targets) if (!(t in SMOKE)) throw new Error(`unknown package ${t}; expected one of ${Object.keys(SMOKE).join(', ')}`);

/** name → { dir, manifest } for every workspace package under packages/. */
const workspace = new Map();
for (const d of readdirSync(join(ROOT, 'packages'))) {
  const file = join(ROOT, 'packages', d, 'package.json');
  if (!existsSync(file)) continue;
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  workspace.set(manifest.name, { dir: join(ROOT, 'packages', d), manifest });
}

/** The package and the @ot packages it depends on (runtime dependencies, transitively). */
function closure(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  const pkg = workspace.get(name);
  if (pkg === undefined) throw new Error(`${name} is not a workspace package`);
  seen.add(name);
  for (const dep of Object.keys(pkg.manifest.dependencies ?? {})) if (workspace.has(dep)) closure(dep, seen);
  return seen;
}

function run(cmd, argv, options = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  return { ok: r.status === 0, status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

const clean = (s) => s.split('\n').filter((l) => !/^npm warn (Unknown|config)/i.test(l)).join('\n');
const t0 = Date.now();
const work = mkdtempSync(join(tmpdir(), 'ot-check-packages-'));
const tarDir = join(work, 'tarballs');
mkdirSync(tarDir);
console.log(`check-packages: ${targets.join(', ')} (scratch dir ${work})`);

if (build) {
  const needed = [...new Set(targets.flatMap((t) => [...closure(t)]))];
  console.log(`building ${needed.join(', ')} ...`);
  const r = run('npx', ['turbo', 'run', 'build', ...needed.map((n) => `--filter=${n}`), '--output-logs=errors-only'], { cwd: ROOT });
  if (!r.ok) console.error(clean(r.out));
}

/** name → tarball path (or an Error). */
const tarballs = new Map();
function pack(name) {
  if (tarballs.has(name)) return tarballs.get(name);
  const { dir, manifest } = workspace.get(name);
  let result;
  if (!existsSync(join(dir, manifest.main ?? 'dist/index.js'))) {
    result = new Error(`${name} is not built (${manifest.main ?? 'dist/index.js'} missing)`);
  } else {
    const before = new Set(readdirSync(tarDir));
    const r = run('pnpm', ['pack', '--pack-destination', tarDir], { cwd: dir });
    const made = readdirSync(tarDir).filter((f) => !before.has(f));
    result = r.ok && made.length === 1 ? join(tarDir, made[0]) : new Error(`pnpm pack failed for ${name}:\n${r.out}`);
  }
  tarballs.set(name, result);
  return result;
}

const results = [];
for (const name of targets) {
  const started = Date.now();
  const row = { name, publint: '-', install: '-', import: '-', detail: '', seconds: 0 };
  results.push(row);
  try {
    const names = [...closure(name)];
    const tars = names.map(pack);
    const failed = tars.find((t) => t instanceof Error);
    if (failed !== undefined) throw failed;
    const own = tarballs.get(name);

    const lint = run('npx', ['-y', PUBLINT, 'run', own, '--level', 'warning'], { cwd: work });
    const lintOut = clean(lint.out);
    row.publint = lint.ok ? (/warning/i.test(lintOut) ? 'warnings' : 'ok') : 'FAIL';
    if (!lint.ok || row.publint === 'warnings') console.log(`publint ${name}:\n${lintOut}\n`);
    if (!lint.ok) throw new Error('publint reported errors');

    const proj = join(work, name.replace('@ot/', 'app-'));
    mkdirSync(proj);
    writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }, null, 2));
    const inst = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--no-package-lock', ...tars, ...PEERS], { cwd: proj });
    row.install = inst.ok ? 'ok' : 'FAIL';
    if (!inst.ok) throw new Error(`npm install failed:\n${clean(inst.out)}`);

    const smoke = run('node', ['--input-type=module', '-e', SMOKE[name]], { cwd: proj, env: { ...process.env, OT_BACKEND: '', OT_QUIET: '1' } });
    row.import = smoke.ok ? 'ok' : 'FAIL';
    if (!smoke.ok) throw new Error(`import / call failed:\n${smoke.out}`);
    row.detail = smoke.out.split('\n').filter((l) => l.startsWith('{')).pop() ?? '';
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // The first line, plus the most telling line of a child process's output.
    const lines = msg.split('\n').map((l) => l.trim());
    const telling = lines.find((l) => /^\w*Error\b/.test(l)) ?? lines.find((l) => /ERR_[A-Z_]+/.test(l));
    row.detail = [msg.split('\n')[0], telling?.trim()].filter((x) => x !== undefined && x !== '').join(' ').replace(/\|/g, '\\|').slice(0, 300);
    console.error(`✗ ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
  }
  row.seconds = (Date.now() - started) / 1000;
  console.log(`${row.import === 'ok' ? '✓' : '✗'} ${name} (${row.seconds.toFixed(1)} s) ${row.detail}`);
}

console.log('\n| package | publint | npm install | import + call | s | result |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of results) console.log(`| ${r.name} | ${r.publint} | ${r.install} | ${r.import} | ${r.seconds.toFixed(1)} | ${r.detail} |`);
const failures = results.filter((r) => r.import !== 'ok' || r.publint === 'FAIL');
console.log(`\n${results.length - failures.length}/${results.length} packages install and import alone; ${((Date.now() - t0) / 1000).toFixed(0)} s total`);
if (!keep) rmSync(work, { recursive: true, force: true });
process.exit(failures.length === 0 ? 0 : 1);
