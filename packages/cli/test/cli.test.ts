import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/main.js';
import { imageGrid, lossCurve } from '../src/png.js';

const dir = mkdtempSync(join(tmpdir(), 'ot-cli-'));

/** Runs the CLI in-process; returns the exit code and what it wrote to stderr and stdout. */
async function ot(...args: string[]): Promise<{ code: number; err: string; out: string }> {
  let err = '';
  let out = '';
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  try {
    const code = await main(['node', 'ot', ...args]);
    return { code, err, out };
  } finally {
    e.mockRestore();
    o.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('flags and paths', () => {
  it('--help works for the program and every subcommand (exit 0)', async () => {
    for (const sub of [[], ['train'], ['sample'], ['eval'], ['bench']]) {
      const r = await ot(...sub, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Usage: ot/);
    }
    const t = await ot('train', '--help');
    for (const flag of ['--loss', '--data', '--steps', '--batch', '--L', '--t2', '--lr', '--seed', '--out', '--resume']) expect(t.out).toContain(flag);
  });

  it('bad flags exit 2 with a message saying what was expected', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['train', '--loss', 'wgan'], /--loss.*Allowed choices are sw, max-sw, la-sw/],
      [['train', '--steps', '-3'], /--steps must be an integer ≥ 1/],
      [['train', '--steps', 'ten'], /--steps must be an integer ≥ 1, got 'ten'/],
      [['train', '--lr', '0'], /--lr must be a number > 0/],
      [['train', '--ema', '1.5'], /--ema must be a decay in \[0, 1\)/],
      [['train', '--hidden', '12,x'], /--hidden must be comma-separated positive integers/],
      [['train', '--frobnicate'], /unknown option '--frobnicate'/],
      [['fly'], /unknown command 'fly'/],
      [['sample'], /required option '--checkpoint <path>'/],
      [['train', '--data', 'svhn', '--steps', '1'], /unknown --data 'svhn'; expected mnist/],
      [['train', '--data', 'toy:spiral', '--steps', '1'], /unknown toy dataset 'spiral'/],
      [['train', '--data', 'toy:moons', '--model', 'dcgan', '--steps', '1'], /--model dcgan needs image data/],
    ];
    for (const [args, msg] of cases) {
      const r = await ot(...args, '--out', join(dir, 'bad'));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(msg);
    }
  });

  it('missing or invalid files exit 3 naming the file', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['train', '--data', `cifar10:${join(dir, 'nowhere')}`, '--steps', '1'], /nowhere/],
      [['train', '--data', `images:${join(dir, 'nowhere')}`, '--steps', '1'], /nowhere/],
      [['train', '--data', `mnist:${join(dir, 'no.idx')}`, '--steps', '1'], /no\.idx/],
      [['sample', '--checkpoint', join(dir, 'nothing-here')], /no checkpoint at/],
      [['eval', '--checkpoint', join(dir, 'nothing-here')], /no checkpoint at/],
    ];
    writeFileSync(join(dir, 'garbage.otck'), 'garbage garbage garbage');
    cases.push([['sample', '--checkpoint', join(dir, 'garbage.otck')], /garbage\.otck' is not an @ot\/gen checkpoint/]);
    for (const [args, msg] of cases) {
      const r = await ot(...args, ...(args[0] === 'eval' ? [] : ['--out', join(dir, 'bad2')]));
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.err, args.join(' ')).toMatch(msg);
    }
  });
});

describe('a short toy run end to end', () => {
  it('train writes samples, loss.png, a checkpoint and report.json; resume continues; sample and eval read it', async () => {
    const out = join(dir, 'toy');
    const r = await ot('train', '--loss', 'sw', '--data', 'toy:8gaussians', '--steps', '30', '--batch', '64', '--L', '20', '--out', out, '--plain', '--backend', 'wasm');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/step 30\/30 \| loss [0-9.]+ \| [0-9.]+ it\/s \| ETA/);
    for (const f of ['report.json', 'loss.png', 'checkpoint.otck', 'samples/final.png', 'samples/step-000006.png']) expect(existsSync(join(out, f)), f).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.config.loss).toBe('sw');
    expect(report.backend).toBe('wasm');
    expect(report.steps.total).toBe(30);
    expect(report.timings.itPerSec).toBeGreaterThan(0);
    expect(report.metrics.sw2ToData.value).toBeGreaterThan(0);
    expect(report.history.length).toBe(30);
    const png = PNG.sync.read(readFileSync(join(out, 'loss.png')));
    expect([png.width, png.height]).toEqual([640, 400]);

    const resumed = await ot('train', '--resume', '--steps', '40', '--out', out, '--plain');
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.err).toMatch(/resumed from step 30/);
    const report2 = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report2.steps).toEqual({ total: 40, thisRun: 10, resumed: true });
    expect(report2.history.length).toBe(40);

    const s = await ot('sample', '--checkpoint', out, '--n', '100', '--out', join(dir, 's.png'));
    expect(s.code, s.err).toBe(0);
    expect(existsSync(join(dir, 's.png'))).toBe(true);
    const e = await ot('eval', '--checkpoint', out, '--metric', 'sw', '--n', '500', '--json');
    expect(e.code, e.err).toBe(0);
    expect(JSON.parse(e.out).value).toBeGreaterThan(0);
    const fid = await ot('eval', '--checkpoint', out, '--metric', 'fid');
    expect(fid.code).toBe(2);
    expect(fid.err).toMatch(/MNIST-like/);
  });
});

describe('MNIST metrics through ot eval', () => {
  it('eval --metric fid|kid|is reads an MNIST checkpoint and reports values in range', async () => {
    const out = join(dir, 'mnist');
    const r = await ot('train', '--steps', '2', '--batch', '32', '--L', '10', '--hidden', '32', '--no-fid', '--out', out, '--quiet', '--backend', 'wasm');
    expect(r.code, r.err).toBe(0);
    const get = async (metric: string) => {
      const e = await ot('eval', '--checkpoint', out, '--metric', metric, '--n', '200', '--json');
      expect(e.code, e.err).toBe(0);
      return JSON.parse(e.out) as { value: number; std?: number; samples: number };
    };
    const fid = await get('fid');
    const kid = await get('kid');
    const is = await get('is');
    // Two steps from initialization: far from MNIST (the extractor gives 1.6 for train vs test).
    expect(fid.value).toBeGreaterThan(50);
    expect(fid.samples).toBe(200);
    expect(kid.value).toBeGreaterThan(0.05);
    expect(kid.std).toBeGreaterThan(0);
    // IS lies in [1, number of classes]; an untrained generator is far below MNIST's ≈ 9.
    expect(is.value).toBeGreaterThanOrEqual(1);
    expect(is.value).toBeLessThan(5);
    expect((await get('fid')).value).toBe(fid.value);
  });
});

describe('MNIST defaults', () => {
  it('la-sw slices an MLP critic on MNIST by default (--critic none keeps pixels); ga-sw stays on pixels', async () => {
    for (const [extra, critic] of [[[], 'mlp'], [['--critic', 'none'], 'none']] as const) {
      const out = join(dir, `la-${critic}`);
      const r = await ot('train', '--loss', 'la-sw', ...extra, '--steps', '1', '--batch', '16', '--hidden', '16', '--no-fid', '--out', out, '--quiet', '--backend', 'wasm');
      expect(r.code, r.err).toBe(0);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      expect(report.config.critic).toBe(critic);
      expect(Object.keys(report.metrics.finalLosses).sort()).toEqual(critic === 'mlp' ? ['critic', 'loss', 'slicer'] : ['loss', 'slicer']);
    }
    const ga = await ot('train', '--loss', 'ga-sw', '--steps', '1', '--batch', '16', '--hidden', '16', '--no-fid', '--out', join(dir, 'ga'), '--quiet', '--backend', 'wasm');
    expect(ga.code, ga.err).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'ga', 'report.json'), 'utf8')).config.critic).toBe('none');
  });
});

describe('other methods through the CLI', () => {
  it('semidual (SDOTNN), w2gn-latent and sngan train on toy data, and sample/eval rebuild them', async () => {
    const runs: Array<[string, string[]]> = [
      ['semidual', ['--loss', 'semidual', '--potential', 'mlp', '--lambda', '0.01']],
      ['w2gn', ['--loss', 'w2gn-latent', '--latent', '2']],
      ['sngan', ['--loss', 'sngan']],
    ];
    for (const [name, flags] of runs) {
      const out = join(dir, name);
      const r = await ot('train', ...flags, '--data', 'toy:moons', '--steps', '10', '--batch', '32', '--out', out, '--quiet', '--backend', 'wasm');
      expect(r.code, `${name}: ${r.err}`).toBe(0);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      expect(report.steps.total).toBe(10);
      const e = await ot('eval', '--checkpoint', out, '--metric', 'sw', '--n', '200', '--json');
      expect(e.code, `${name}: ${e.err}`).toBe(0);
      expect(JSON.parse(e.out).value).toBeGreaterThan(0);
    }
  });

  it('bench prints a table row per sliced method', async () => {
    const r = await ot('bench', '--data', 'toy:moons', '--steps', '1', '--warmup', '0', '--batch', '32', '--backend', 'wasm');
    expect(r.code, r.err).toBe(0);
    for (const m of ['SW (L=1)', 'SW (L=10000)', 'Max-SW (T2=100)', 'LA-SW', 'GA-SW', 'NA-SW']) expect(r.out).toContain(`| ${m} |`);
  });
});

describe('PNG helpers', () => {
  it('imageGrid lays out n images with gaps', () => {
    const png = PNG.sync.read(imageGrid(new Float32Array(6 * 4 * 4).fill(1), [6, 4, 4, 1], 3));
    expect([png.width, png.height]).toEqual([3 * 6 + 2, 2 * 6 + 2]);
    expect(png.data[4 * (2 * png.width + 2)]).toBe(255);
    expect(png.data[0]).toBe(40);
  });

  it('lossCurve draws a polyline inside the axes', () => {
    const png = PNG.sync.read(lossCurve({ loss: [[0, 1], [10, 0.5], [20, 0.25]] }, 200, 120));
    let colored = 0;
    for (let i = 0; i < png.width * png.height; i++) if (png.data[4 * i] === 31 && png.data[4 * i + 2] === 180) colored++;
    expect(colored).toBeGreaterThan(100);
  });
});
