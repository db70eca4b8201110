/** `ot train --model ae|wae-mmd|wae-gan|swae|wgan|wgan-gp`: option mapping, a short run of each kind, resume and sampling. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../src/main.js';
import { applyOtModel } from '../src/ot-models.js';

const dir = mkdtempSync(join(tmpdir(), 'ot-cli-models-'));

async function ot(...args: string[]): Promise<{ code: number; err: string; out: string }> {
  let err = '';
  let out = '';
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  try {
    return { code: await main(['node', 'ot', ...args]), err, out };
  } finally {
    e.mockRestore();
    o.mockRestore();
  }
}

describe('--model for the OT models', () => {
  it('maps the model to the training method, a sliced --loss to the SWAE slicer, n_critic 5 for WGANs', () => {
    const src = (cli: string[]) => (name: string) => (cli.includes(name) ? 'cli' : 'default');
    const a: Record<string, unknown> = { model: 'swae', loss: 'la-sw', nCritic: 1 };
    applyOtModel(a, src(['loss']));
    expect(a).toEqual({ loss: 'swae', slicer: 'la-sw', nCritic: 1 });
    const b: Record<string, unknown> = { model: 'wgan-gp', loss: 'sw', nCritic: 1 };
    applyOtModel(b, src([]));
    expect(b).toEqual({ loss: 'wgan-gp', nCritic: 5 });
    const c: Record<string, unknown> = { model: 'wgan', loss: 'sw', nCritic: 2 };
    applyOtModel(c, src(['nCritic']));
    expect(c['nCritic']).toBe(2);
    const d: Record<string, unknown> = { model: 'mlp', loss: 'sw' };
    applyOtModel(d, src([]));
    expect(d).toEqual({ model: 'mlp', loss: 'sw' });
    expect(() => applyOtModel({ model: 'wae-gan', loss: 'sw' }, src(['loss']))).toThrow(/only applies to --model swae/);
  });

  it('--help documents the models; a conflicting --loss exits 2', async () => {
    const h = await ot('train', '--help');
    expect(h.out).toMatch(/wae-mmd\|wae-gan\|swae\|wgan\|wgan-gp\|swgan/);
    const r = await ot('train', '--model', 'wae-mmd', '--loss', 'max-sw', '--data', 'toy:moons', '--steps', '1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--model wae-mmd sets the training method/);
  });

  it('wae-mmd on toy data: checkpoint, reconstructions.png, latent metrics; resume continues; sample works', async () => {
    const out = join(dir, 'wae');
    const common = ['--data', 'toy:8gaussians', '--batch', '64', '--hidden', '32,32', '--out', out, '--quiet', '--no-fid'];
    const r = await ot('train', '--model', 'wae-mmd', '--steps', '4', ...common);
    expect(r.code, r.err).toBe(0);
    for (const f of ['checkpoint.otck', 'reconstructions.png', 'report.json', 'loss.png']) expect(existsSync(join(out, f)), f).toBe(true);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(rep.config.loss).toBe('wae-mmd');
    expect(rep.metrics.reconstructionMse.value).toBeGreaterThan(0);
    expect(Number.isFinite(rep.metrics.latentMmdToPrior.value)).toBe(true);
    expect(rep.metrics.latentSw2ToPrior.value).toBeGreaterThan(0);
    expect(rep.metrics.finalLosses.penalty).toBeDefined();
    const r2 = await ot('train', '--resume', '--steps', '6', ...common);
    expect(r2.code, r2.err).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).steps.total).toBe(6);
    const s = await ot('sample', '--checkpoint', out, '--n', '100', '--out', join(dir, 'wae.png'));
    expect(s.code, s.err).toBe(0);
    expect(existsSync(join(dir, 'wae.png'))).toBe(true);
  });

  it('swae (LA-SW slicer), wae-gan, ae, wgan, wgan-gp and swgan each run 2 steps', async () => {
    for (const args of [['--model', 'swae', '--loss', 'la-sw'], ['--model', 'wae-gan'], ['--model', 'ae'], ['--model', 'wgan'], ['--model', 'wgan-gp', '--n-critic', '2'], ['--model', 'swgan', '--L', '10']]) {
      const out = join(dir, args.slice(1).join('-'));
      const r = await ot('train', ...args, '--data', 'toy:moons', '--steps', '2', '--batch', '32', '--hidden', '16', '--out', out, '--quiet');
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
      const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      expect(rep.config.loss).toBe(args[1]);
      if (args[1] === 'swae') expect(rep.config.slicer).toBe('la-sw');
      if (args[1] === 'wgan-gp') expect(rep.metrics.finalLosses.gp).toBeGreaterThan(0);
      if (args[1] === 'wgan') expect(rep.config.nCritic).toBe(5);
    }
  });
});
