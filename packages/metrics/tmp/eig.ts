import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { symmetricEigenvalues } from '../src/linalg.js';
for (const n of [1, 2, 3, 5, 200]) {
  const a = new Float64Array(n * n);
  let s = 1; const rnd = () => { s = (s * 16807) % 2147483647; return s / 2147483647 - 0.5; };
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) { const v = rnd(); a[i * n + j] = v; a[j * n + i] = v; }
  if (n === 5) { for (let i = 2; i < 5; i++) { a[i * n] = 0; a[i] = 0; } } // a zero column below the subdiagonal
  const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)));
  const ev = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues.sort((x, y) => x - y);
  const mine = Array.from(symmetricEigenvalues(Float64Array.from(a), n)).sort((x, y) => x - y);
  let err = 0; for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(ev[i]! - mine[i]!));
  console.log(n, 'maxerr', err);
}
