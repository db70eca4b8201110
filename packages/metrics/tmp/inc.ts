import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@ot/core';
import { InceptionV3Extractor, decodeNpy } from '../src/index.js';
await initBackend({ backend: 'wasm', quiet: true });
const inp = decodeNpy(new Uint8Array(readFileSync('/tmp/selftest/in.npy')));
const ref = decodeNpy(new Uint8Array(readFileSync('/tmp/selftest/out.npy')));
const net = await InceptionV3Extractor.load('/tmp/selftest/model');
const x = tf.tensor4d(Float32Array.from(inp.data), inp.shape as [number, number, number, number]);
const t0 = performance.now();
const { features, logits } = net.extract(x);
const f = features.dataSync(); const l = logits.dataSync();
console.log('time', ((performance.now() - t0) / 1000).toFixed(1), 's');
let ef = 0, sf = 0, el = 0, sl = 0;
for (let i = 0; i < 2; i++) { for (let j = 0; j < 2048; j++) { const r = ref.data[i * 3056 + j]!; sf = Math.max(sf, Math.abs(r)); ef = Math.max(ef, Math.abs(f[i * 2048 + j]! - r)); }
  for (let j = 0; j < 1008; j++) { const r = ref.data[i * 3056 + 2048 + j]!; sl = Math.max(sl, Math.abs(r)); el = Math.max(el, Math.abs(l[i * 1008 + j]! - r)); } }
console.log({ ef, sf, el, sl }, f.slice(0, 4), ref.data.slice(0, 4));
