/** C[n, m] += A[n, k] · B[m, k]ᵀ, all row-major; lowerOnly: only blocks with column ≤ row (C square). */
export function gemmNT(a: Float64Array, b: Float64Array, c: Float64Array, n: number, m: number, k: number, lowerOnly = false): void {
  const KB = 256;
  const IB = 64;
  const JB = 64;
  for (let k0 = 0; k0 < k; k0 += KB) {
    const k1 = Math.min(k, k0 + KB);
    for (let i0 = 0; i0 < n; i0 += IB) {
      const i1 = Math.min(n, i0 + IB);
      const jEnd = lowerOnly ? Math.min(m, i1) : m;
      for (let j0 = 0; j0 < jEnd; j0 += JB) {
        const j1 = Math.min(jEnd, j0 + JB);
        let i = i0;
        for (; i + 1 < i1; i += 2) {
          const ai0 = i * k;
          const ai1 = ai0 + k;
          let j = j0;
          for (; j + 3 < j1; j += 4) {
            const bj0 = j * k;
            const bj1 = bj0 + k;
            const bj2 = bj1 + k;
            const bj3 = bj2 + k;
            let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
            for (let p = k0; p < k1; p++) {
              const x0 = a[ai0 + p]!;
              const x1 = a[ai1 + p]!;
              const y0 = b[bj0 + p]!;
              const y1 = b[bj1 + p]!;
              const y2 = b[bj2 + p]!;
              const y3 = b[bj3 + p]!;
              s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
              s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
            }
            const c0 = i * m + j;
            const c1 = c0 + m;
            c[c0] = c[c0]! + s00; c[c0 + 1] = c[c0 + 1]! + s01; c[c0 + 2] = c[c0 + 2]! + s02; c[c0 + 3] = c[c0 + 3]! + s03;
            c[c1] = c[c1]! + s10; c[c1 + 1] = c[c1 + 1]! + s11; c[c1 + 2] = c[c1 + 2]! + s12; c[c1 + 3] = c[c1 + 3]! + s13;
          }
          for (; j < j1; j++) {
            const bj = j * k;
            let s0 = 0, s1 = 0;
            for (let p = k0; p < k1; p++) {
              const y = b[bj + p]!;
              s0 += a[ai0 + p]! * y;
              s1 += a[ai1 + p]! * y;
            }
            c[i * m + j] = c[i * m + j]! + s0;
            c[(i + 1) * m + j] = c[(i + 1) * m + j]! + s1;
          }
        }
        for (; i < i1; i++) {
          const ai = i * k;
          for (let j = j0; j < j1; j++) {
            const bj = j * k;
            let s = 0;
            for (let p = k0; p < k1; p++) s += a[ai + p]! * b[bj + p]!;
            c[i * m + j] = c[i * m + j]! + s;
          }
        }
      }
    }
  }
}
const n = Number(process.argv[2] ?? 512);
const A = new Float64Array(n * n).map((_, i) => Math.sin(i));
const B = new Float64Array(n * n).map((_, i) => Math.cos(i));
for (let r = 0; r < 3; r++) {
  const C = new Float64Array(n * n);
  const t = performance.now();
  gemmNT(A, B, C, n, n, n);
  const s = (performance.now() - t) / 1000;
  console.log(n, s.toFixed(2), 's', (n ** 3 / s / 1e9).toFixed(2), 'GFMA/s', C[5]);
}
