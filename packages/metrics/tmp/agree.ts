import { readFileSync } from 'node:fs';
import { featureStatistics, frechetDistance } from '../src/index.js';
import { genFeatures, genLowRankCov, genMean } from '../test/generated.js';
const refs = JSON.parse(readFileSync('test/fixtures/metrics_refs.json', 'utf8'));
for (const c of refs.frechet) {
  let args: any[];
  if (c.mu1) args = [c.mu1, c.sigma1, c.mu2, c.sigma2];
  else if (c.lowrank) { const l = c.lowrank; args = [genMean(l.mean1, c.d), genLowRankCov(l.seed1, c.d), genMean(l.mean2, c.d), genLowRankCov(l.seed2, c.d)]; }
  else { const f = c.features; const a = featureStatistics(genFeatures(f.seed1, f.n, c.d), c.d); const b = featureStatistics(genFeatures(f.seed2, f.n, c.d, 8, f.shift2), c.d); args = [a.mu, a.sigma, b.mu, b.sigma]; }
  const t0 = performance.now();
  const v = (frechetDistance as any)(...args);
  const t = (performance.now() - t0) / 1000;
  const r = (x: number) => (Math.abs(v - x) / Math.abs(x)).toExponential(1);
  console.log(c.name, v, 'scipy', r(c.scipy), 'eigh', r(c.eigh), 'exact', c.exact === undefined ? '-' : r(c.exact), 'time', t.toFixed(2), 'scipy time', c.scipySeconds.toFixed(1));
}
