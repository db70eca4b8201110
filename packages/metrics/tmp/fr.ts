import { frechetDistance } from '../src/index.js';
import { genLowRankCov, genMean } from '../test/generated.js';
const d = 2048;
const s1 = genLowRankCov(11, d), s2 = genLowRankCov(12, d), m1 = genMean(13, d), m2 = genMean(14, d);
const t0 = performance.now();
const v = frechetDistance(m1, s1, m2, s2);
console.log(v, ((performance.now() - t0) / 1000).toFixed(2), 's', Math.abs(v - 3557.381597) / 3557.38);
