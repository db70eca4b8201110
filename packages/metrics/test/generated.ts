/**
 * The counter-based data generator of scripts/fixtures/metrics_refs.py, reproduced bit for bit
 * (lowbias32 hash, Irwin–Hall(4) "normals"), so d = 64 and d = 2048 fixtures need not store data.
 */
export function hash32(x: number): number {
  x >>>= 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

export function genNormalish(seed: number, count: number): Float64Array {
  const out = new Float64Array(count);
  const sqrt3 = Math.sqrt(3);
  for (let k = 0; k < count; k++) {
    let s = 0;
    for (let t = 0; t < 4; t++) {
      const idx = (seed * 67108864 + 4 * k + t) % 4294967296;
      s = s + hash32(idx) / 4294967296;
    }
    out[k] = (s - 2) * sqrt3;
  }
  return out;
}

/** Features `[n, d]` row-major, as `gen_features` in the fixture script. */
export function genFeatures(seed: number, n: number, d: number, factors = 8, shift = 0): Float64Array {
  const z = genNormalish(seed, n * d);
  const f = genNormalish(seed + 1000, n * factors);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const s = 0.2 + (j % 17) / 17;
      const w = ((7 * j) % 13) / 13;
      const m = (j % 5) - 2;
      out[i * d + j] = z[i * d + j]! * s + f[i * factors + (j % factors)]! * w + shift * m;
    }
  }
  return out;
}

/** Σ = U Uᵀ / rank + diag(0.05 + (j mod 11)/11), `[d, d]` row-major. */
export function genLowRankCov(seed: number, d: number, rank = 16): Float64Array {
  const u = genNormalish(seed, d * rank);
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < rank; k++) s += u[i * rank + k]! * u[j * rank + k]!;
      s /= rank;
      if (i === j) s += 0.05 + (j % 11) / 11;
      out[i * d + j] = s;
      out[j * d + i] = s;
    }
  }
  return out;
}

export function genMean(seed: number, d: number): Float64Array {
  return genNormalish(seed, d).map((v) => 0.1 * v);
}
