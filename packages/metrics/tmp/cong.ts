import { pivotedCholesky, congruence } from '../src/linalg.js';
import { genLowRankCov } from '../test/generated.js';
for (const d of [7, 70, 300]) {
  for (const rankCut of [false, true]) {
    const s1 = genLowRankCov(11, d), s2 = genLowRankCov(12, d);
    if (rankCut) { for (let i = 0; i < d; i++) s1[i * d + i] -= 0.05 + (i % 11) / 11; } // rank 16
    const ch = pivotedCholesky(s1, d, 1e-12);
    const m = congruence(s2, d, ch);
    // reference: naive Lᵀ P S Pᵀ L
    const r = ch.rank; let err = 0, sc = 0;
    for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) {
      let v = 0;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) v += ch.l[i * r + a]! * s2[ch.perm[i]! * d + ch.perm[j]!]! * ch.l[j * r + b]!;
      err = Math.max(err, Math.abs(v - m[a * r + b]!)); sc = Math.max(sc, Math.abs(v));
    }
    console.log(d, 'rank', r, 'rel err', err / sc);
  }
}
