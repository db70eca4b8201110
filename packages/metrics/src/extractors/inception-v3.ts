/**
 * The FID Inception network: InceptionV3 as in Szegedy, Vanhoucke, Ioffe, Shlens, Wojna,
 * *Rethinking the Inception Architecture for Computer Vision*, CVPR 2016, in the variant of the
 * TensorFlow graph of 2015-12-05 that FID (Heusel et al., 2017) uses, exactly as pytorch-fid
 * rebuilds it (`fid_inception_v3`): `FIDInceptionA`/`C`/`E_1` average-pool without counting the
 * padding, `FIDInceptionE_2` (Mixed_7c) max-pools in its pool branch, 1008 logits.
 *
 * Pipeline: images `[b, h, w, c]` in [0, 1] (1 channel is repeated to 3) → bilinear resize to
 * 299×299 (`F.interpolate(mode='bilinear', align_corners=False)`) → 2x − 1 → network → pool3
 * (global average, 2048-d features) and logits = pool3 · Wᵀ (no bias, as the IS reference).
 *
 * Weights: one file pair in the format of `weights-file.ts` with batch norm folded into each
 * convolution (`<block>/<conv>/kernel` `[kh, kw, in, out]` and `/bias` `[out]`), plus
 * `fc/kernel` `[2048, 1008]` and `fc/bias`. `scripts/convert_pytorch_fid_weights.py` writes it
 * from pytorch-fid's public `pt_inception-2015-12-05-6726825d.pth`;
 * {@link saveRandomInceptionWeights} writes a randomly initialized one (for tests and benchmarks).
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, toRng, type Seed } from '@ot/core';
import { checkImages, resizeLikeTorch, type Extracted, type FeatureExtractor } from './extractor.js';
import { loadWeightsFile, saveWeightsFile, takeWeight } from './weights-file.js';

/** One BasicConv2d (conv without bias + batch norm ε = 1e-3 + ReLU), batch norm folded. */
export interface ConvSpec {
  readonly name: string;
  readonly cin: number;
  readonly cout: number;
  readonly kernel: readonly [number, number];
  readonly stride: number;
  readonly pad: readonly [number, number];
}

/** The model name in the weights file. */
export const INCEPTION_MODEL = 'fid-inception-v3';

function c(name: string, cin: number, cout: number, kernel: [number, number] | number, stride = 1, pad: [number, number] | number = 0): ConvSpec {
  const k: [number, number] = typeof kernel === 'number' ? [kernel, kernel] : kernel;
  const p: [number, number] = typeof pad === 'number' ? [pad, pad] : pad;
  return { name, cin, cout, kernel: k, stride, pad: p };
}

function blockA(n: string, cin: number, pool: number): ConvSpec[] {
  return [
    c(`${n}/branch1x1`, cin, 64, 1),
    c(`${n}/branch5x5_1`, cin, 48, 1),
    c(`${n}/branch5x5_2`, 48, 64, 5, 1, 2),
    c(`${n}/branch3x3dbl_1`, cin, 64, 1),
    c(`${n}/branch3x3dbl_2`, 64, 96, 3, 1, 1),
    c(`${n}/branch3x3dbl_3`, 96, 96, 3, 1, 1),
    c(`${n}/branch_pool`, cin, pool, 1),
  ];
}
function blockB(n: string, cin: number): ConvSpec[] {
  return [
    c(`${n}/branch3x3`, cin, 384, 3, 2),
    c(`${n}/branch3x3dbl_1`, cin, 64, 1),
    c(`${n}/branch3x3dbl_2`, 64, 96, 3, 1, 1),
    c(`${n}/branch3x3dbl_3`, 96, 96, 3, 2),
  ];
}
function blockC(n: string, cin: number, c7: number): ConvSpec[] {
  return [
    c(`${n}/branch1x1`, cin, 192, 1),
    c(`${n}/branch7x7_1`, cin, c7, 1),
    c(`${n}/branch7x7_2`, c7, c7, [1, 7], 1, [0, 3]),
    c(`${n}/branch7x7_3`, c7, 192, [7, 1], 1, [3, 0]),
    c(`${n}/branch7x7dbl_1`, cin, c7, 1),
    c(`${n}/branch7x7dbl_2`, c7, c7, [7, 1], 1, [3, 0]),
    c(`${n}/branch7x7dbl_3`, c7, c7, [1, 7], 1, [0, 3]),
    c(`${n}/branch7x7dbl_4`, c7, c7, [7, 1], 1, [3, 0]),
    c(`${n}/branch7x7dbl_5`, c7, 192, [1, 7], 1, [0, 3]),
    c(`${n}/branch_pool`, cin, 192, 1),
  ];
}
function blockD(n: string, cin: number): ConvSpec[] {
  return [
    c(`${n}/branch3x3_1`, cin, 192, 1),
    c(`${n}/branch3x3_2`, 192, 320, 3, 2),
    c(`${n}/branch7x7x3_1`, cin, 192, 1),
    c(`${n}/branch7x7x3_2`, 192, 192, [1, 7], 1, [0, 3]),
    c(`${n}/branch7x7x3_3`, 192, 192, [7, 1], 1, [3, 0]),
    c(`${n}/branch7x7x3_4`, 192, 192, 3, 2),
  ];
}
function blockE(n: string, cin: number): ConvSpec[] {
  return [
    c(`${n}/branch1x1`, cin, 320, 1),
    c(`${n}/branch3x3_1`, cin, 384, 1),
    c(`${n}/branch3x3_2a`, 384, 384, [1, 3], 1, [0, 1]),
    c(`${n}/branch3x3_2b`, 384, 384, [3, 1], 1, [1, 0]),
    c(`${n}/branch3x3dbl_1`, cin, 448, 1),
    c(`${n}/branch3x3dbl_2`, 448, 384, 3, 1, 1),
    c(`${n}/branch3x3dbl_3a`, 384, 384, [1, 3], 1, [0, 1]),
    c(`${n}/branch3x3dbl_3b`, 384, 384, [3, 1], 1, [1, 0]),
    c(`${n}/branch_pool`, cin, 192, 1),
  ];
}

/** Every convolution of the FID Inception, in file order (94 convolutions). */
export const INCEPTION_CONVS: readonly ConvSpec[] = [
  c('Conv2d_1a_3x3', 3, 32, 3, 2),
  c('Conv2d_2a_3x3', 32, 32, 3),
  c('Conv2d_2b_3x3', 32, 64, 3, 1, 1),
  c('Conv2d_3b_1x1', 64, 80, 1),
  c('Conv2d_4a_3x3', 80, 192, 3),
  ...blockA('Mixed_5b', 192, 32),
  ...blockA('Mixed_5c', 256, 64),
  ...blockA('Mixed_5d', 288, 64),
  ...blockB('Mixed_6a', 288),
  ...blockC('Mixed_6b', 768, 128),
  ...blockC('Mixed_6c', 768, 160),
  ...blockC('Mixed_6d', 768, 160),
  ...blockC('Mixed_6e', 768, 192),
  ...blockD('Mixed_7a', 768),
  ...blockE('Mixed_7b', 1280),
  ...blockE('Mixed_7c', 2048),
];

/** Parameter names and shapes in file order. */
export function inceptionParamShapes(): [string, number[]][] {
  const out: [string, number[]][] = [];
  for (const s of INCEPTION_CONVS) {
    out.push([`${s.name}/kernel`, [s.kernel[0], s.kernel[1], s.cin, s.cout]]);
    out.push([`${s.name}/bias`, [s.cout]]);
  }
  out.push(['fc/kernel', [2048, 1008]], ['fc/bias', [1008]]);
  return out;
}

const SPEC = new Map(INCEPTION_CONVS.map((s) => [s.name, s]));

type Params = Record<string, tf.Tensor>;

function conv(p: Params, name: string, x: tf.Tensor4D): tf.Tensor4D {
  const s = SPEC.get(name);
  if (s === undefined) throw new Error(`unknown conv ${name}`);
  const [ph, pw] = s.pad;
  const pad: 'valid' | [[number, number], [number, number], [number, number], [number, number]] =
    ph === 0 && pw === 0 ? 'valid' : [[0, 0], [ph, ph], [pw, pw], [0, 0]];
  return tf.fused.conv2d({
    x,
    filter: p[`${name}/kernel`] as tf.Tensor4D,
    strides: s.stride,
    pad,
    bias: p[`${name}/bias`],
    activation: 'relu',
  });
}

/** 3×3 average pool, stride 1, padding 1, not counting the padding (count_include_pad=False). */
function avgPool3(x: tf.Tensor4D): tf.Tensor4D {
  return tf.avgPool(x, 3, 1, 'same');
}

function mixedA(p: Params, n: string, x: tf.Tensor4D): tf.Tensor4D {
  const b1 = conv(p, `${n}/branch1x1`, x);
  const b5 = conv(p, `${n}/branch5x5_2`, conv(p, `${n}/branch5x5_1`, x));
  const b3 = conv(p, `${n}/branch3x3dbl_3`, conv(p, `${n}/branch3x3dbl_2`, conv(p, `${n}/branch3x3dbl_1`, x)));
  const bp = conv(p, `${n}/branch_pool`, avgPool3(x));
  return tf.concat([b1, b5, b3, bp], 3);
}
function mixedB(p: Params, n: string, x: tf.Tensor4D): tf.Tensor4D {
  const b3 = conv(p, `${n}/branch3x3`, x);
  const bd = conv(p, `${n}/branch3x3dbl_3`, conv(p, `${n}/branch3x3dbl_2`, conv(p, `${n}/branch3x3dbl_1`, x)));
  const bp = tf.maxPool(x, 3, 2, 'valid');
  return tf.concat([b3, bd, bp], 3);
}
function mixedC(p: Params, n: string, x: tf.Tensor4D): tf.Tensor4D {
  const b1 = conv(p, `${n}/branch1x1`, x);
  let b7 = conv(p, `${n}/branch7x7_1`, x);
  b7 = conv(p, `${n}/branch7x7_3`, conv(p, `${n}/branch7x7_2`, b7));
  let bd = conv(p, `${n}/branch7x7dbl_1`, x);
  for (const k of [2, 3, 4, 5]) bd = conv(p, `${n}/branch7x7dbl_${k}`, bd);
  const bp = conv(p, `${n}/branch_pool`, avgPool3(x));
  return tf.concat([b1, b7, bd, bp], 3);
}
function mixedD(p: Params, n: string, x: tf.Tensor4D): tf.Tensor4D {
  const b3 = conv(p, `${n}/branch3x3_2`, conv(p, `${n}/branch3x3_1`, x));
  let b7 = conv(p, `${n}/branch7x7x3_1`, x);
  for (const k of [2, 3, 4]) b7 = conv(p, `${n}/branch7x7x3_${k}`, b7);
  const bp = tf.maxPool(x, 3, 2, 'valid');
  return tf.concat([b3, b7, bp], 3);
}
function mixedE(p: Params, n: string, x: tf.Tensor4D, maxPoolBranch: boolean): tf.Tensor4D {
  const b1 = conv(p, `${n}/branch1x1`, x);
  const t = conv(p, `${n}/branch3x3_1`, x);
  const b3 = tf.concat([conv(p, `${n}/branch3x3_2a`, t), conv(p, `${n}/branch3x3_2b`, t)], 3);
  const u = conv(p, `${n}/branch3x3dbl_2`, conv(p, `${n}/branch3x3dbl_1`, x));
  const bd = tf.concat([conv(p, `${n}/branch3x3dbl_3a`, u), conv(p, `${n}/branch3x3dbl_3b`, u)], 3);
  const pooled = maxPoolBranch ? tf.maxPool(x, 3, 1, 'same') : avgPool3(x);
  const bp = conv(p, `${n}/branch_pool`, pooled);
  return tf.concat([b1, b3, bd, bp], 3);
}

/** Resize to 299 and scale to [−1, 1]: `[b, h, w, 1 | 3]` in [0, 1] → `[b, 299, 299, 3]`. */
export function inceptionPreprocess(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    let x = images;
    if (x.shape[3] === 1) x = tf.tile(x, [1, 1, 1, 3]);
    x = resizeLikeTorch(x, 299);
    return tf.sub(tf.mul(x, 2), 1) as tf.Tensor4D;
  });
}

/** The network on preprocessed input `[b, 299, 299, 3]` → pool3 `[b, 2048]`. */
export function inceptionPool3(p: Params, x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    let h = conv(p, 'Conv2d_1a_3x3', x);
    h = conv(p, 'Conv2d_2a_3x3', h);
    h = conv(p, 'Conv2d_2b_3x3', h);
    h = tf.maxPool(h, 3, 2, 'valid');
    h = conv(p, 'Conv2d_3b_1x1', h);
    h = conv(p, 'Conv2d_4a_3x3', h);
    h = tf.maxPool(h, 3, 2, 'valid');
    h = mixedA(p, 'Mixed_5b', h);
    h = mixedA(p, 'Mixed_5c', h);
    h = mixedA(p, 'Mixed_5d', h);
    h = mixedB(p, 'Mixed_6a', h);
    for (const n of ['Mixed_6b', 'Mixed_6c', 'Mixed_6d', 'Mixed_6e']) h = mixedC(p, n, h);
    h = mixedD(p, 'Mixed_7a', h);
    h = mixedE(p, 'Mixed_7b', h, false);
    h = mixedE(p, 'Mixed_7c', h, true);
    return tf.mean(h, [1, 2]) as tf.Tensor2D;
  });
}

/**
 * The FID InceptionV3 extractor: pool3 features (2048) and 1008 logits.
 *
 * @example
 * ```ts
 * const inception = await InceptionV3Extractor.load('/models/fid-inception'); // model.json + weights.bin
 * const value = await fid(realSource, fakeSource, { extractor: inception, batchSize: 50 });
 * inception.dispose();
 * ```
 */
export class InceptionV3Extractor implements FeatureExtractor {
  readonly name = 'inception-v3';
  readonly featureDim = 2048;
  readonly numClasses = 1008;
  private params: Params | undefined;

  private constructor(params: Params) {
    this.params = params;
  }

  /**
   * Loads the weights from `path`: a directory holding `model.json` (+ the `.bin` it names) or a
   * `.json` weights manifest (see the package README for producing it from pytorch-fid's weights).
   */
  static async load(path: string): Promise<InceptionV3Extractor> {
    if (typeof path !== 'string' || path.length === 0) {
      throw new OTError('INVALID_ARGUMENT', 'InceptionV3Extractor.load needs the path of the converted weights (no weights are bundled or downloaded)');
    }
    const { weights } = await loadWeightsFile(path, INCEPTION_MODEL);
    try {
      const params: Params = {};
      for (const [name, shape] of inceptionParamShapes()) params[name] = takeWeight(weights, name, shape);
      for (const [name, t] of Object.entries(weights)) if (!(name in params)) t.dispose();
      return new InceptionV3Extractor(params);
    } catch (e) {
      tf.dispose(Object.values(weights));
      throw e;
    }
  }

  /** Features `[b, 2048]` (pool3) and logits `[b, 1008]` of `images` `[b, h, w, 1 | 3]` in [0, 1]. */
  extract(images: tf.Tensor4D): Extracted {
    const p = this.params;
    if (p === undefined) throw new OTError('DISPOSED', 'this InceptionV3Extractor was disposed');
    checkImages(images, 'images', [1, 3]);
    return tf.tidy(() => {
      const features = inceptionPool3(p, inceptionPreprocess(images));
      const logits = tf.matMul(features, p["fc/kernel"] as tf.Tensor2D) as tf.Tensor2D;
      return { features, logits };
    });
  }

  dispose(): void {
    if (this.params !== undefined) tf.dispose(Object.values(this.params));
    this.params = undefined;
  }
}

/**
 * Writes FID-Inception weights drawn at random (He-normal kernels, small random biases) in the
 * format {@link InceptionV3Extractor.load} reads — the architecture without the trained weights,
 * for tests and benchmarks. ≈ 95 MB.
 *
 * @param path a directory (gets `model.json` + `weights.bin`) or a `.json` path
 * @returns the path of the `.json` file
 * @example
 * ```ts
 * const file = await saveRandomInceptionWeights('/tmp/random-inception', 0);
 * const net = await InceptionV3Extractor.load(file);
 * ```
 */
export async function saveRandomInceptionWeights(path: string, seed: Seed): Promise<string> {
  const rng = toRng(seed);
  const tensors: Record<string, tf.Tensor> = {};
  try {
    for (const [name, shape] of inceptionParamShapes()) {
      const fanIn = shape.length === 4 ? shape[0]! * shape[1]! * shape[2]! : shape[0]!;
      const bias = name.endsWith('/bias');
      const std = bias ? 0.01 : name.startsWith('fc/') ? 1 / Math.sqrt(fanIn) : Math.sqrt(2 / fanIn);
      tensors[name] = tf.randomNormal(shape, 0, std, 'float32', rng.nextSeed());
    }
    return await saveWeightsFile(path, INCEPTION_MODEL, tensors, {
      description: 'FID InceptionV3 (pytorch-fid architecture) with RANDOM weights — for tests only',
      random: true,
    });
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
