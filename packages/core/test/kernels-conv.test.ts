/**
 * Convolution kernels registered by @ot/core (Conv2DBackpropFilter on cpu and wasm;
 * Conv2DBackpropInput and the depthwise backprops on wasm) against tfjs's stock cpu kernels:
 * conv2d outputs and gradients, conv2dTranspose outputs and gradients, direct kernel calls with
 * explicit paddings, on random shapes with strides 1–3 (equal and unequal) and every padding kind.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeWithBackends } from '@ot/test-utils';
import { expect, it } from 'vitest';
import { conv2dBackpropInputGemmFactory, makeConv2dBackpropInputGemm } from '../src/kernels/conv2d-backprop-input-gemm.js';
import { conv2dBackpropInputSubPixelFactory } from '../src/kernels/conv2d-backprop-input-subpixel.js';
import { isReplacedKernel, registerBackendKernels } from '../src/kernels/index.js';
import type { KernelFactory } from '../src/kernels/kernel-util.js';
import { expectMatchesStockCpu, randn, runKernel } from './kernels-reference.js';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
interface ConvCase {
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: [number, number];
  pad: Pad;
}

// Numeric pads only with equal strides: tfjs-core computes the output shape of a numeric pad
// with the row stride for both axes (a tfjs bug unrelated to these kernels).
const CONV_CASES: ConvCase[] = [
  { x: [2, 9, 9, 3], f: [3, 3, 3, 4], strides: [1, 1], pad: 'same' },
  { x: [2, 9, 8, 3], f: [3, 3, 3, 4], strides: [2, 2], pad: 'same' },
  { x: [3, 9, 8, 2], f: [4, 4, 2, 5], strides: [2, 2], pad: 'valid' },
  { x: [2, 10, 7, 2], f: [5, 3, 2, 3], strides: [3, 2], pad: 'same' },
  { x: [1, 11, 9, 2], f: [3, 3, 2, 3], strides: [3, 2], pad: 'valid' },
  { x: [2, 8, 7, 1], f: [3, 3, 1, 4], strides: [2, 1], pad: 'same' },
  { x: [2, 8, 8, 2], f: [3, 3, 2, 3], strides: [2, 2], pad: 1 },
  {
    x: [2, 8, 8, 2],
    f: [3, 2, 2, 3],
    strides: [2, 2],
    pad: [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
  },
  { x: [2, 6, 6, 4], f: [1, 1, 4, 3], strides: [1, 1], pad: 'valid' },
];

const label = (c: ConvCase): string => `x ${c.x.join('×')}, f ${c.f.join('×')}, strides ${c.strides.join(',')}, pad ${JSON.stringify(c.pad)}`;

describeWithBackends('kernels: convolutions', (backend) => {
  it('registers the replacements idempotently', () => {
    expect(registerBackendKernels(backend)).toEqual([]);
    expect(isReplacedKernel('Conv2DBackpropFilter', backend)).toBe(true);
    expect(isReplacedKernel('Conv2DBackpropInput', backend)).toBe(backend === 'wasm');
    // Backends with native kernels get nothing.
    expect(registerBackendKernels('webgl')).toEqual([]);
    expect(isReplacedKernel('Conv2DBackpropFilter', 'webgl')).toBe(false);
  });

  for (const c of CONV_CASES) {
    it(`conv2d and its gradients: ${label(c)}`, async () => {
      await expectMatchesStockCpu(backend, () => {
        const x = randn(c.x, 1) as tf.Tensor4D;
        const f = randn(c.f, 2) as tf.Tensor4D;
        const y = tf.conv2d(x, f, c.strides, c.pad);
        const dy = randn(y.shape, 3);
        const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad))(
          [x, f],
          dy,
        );
        return [y, dx as tf.Tensor, df as tf.Tensor];
      });
    });
  }

  // conv2dTranspose(x [B, h, w, Cout], W [fh, fw, Cin, Cout]) → [B, H, W, Cin]: the forward is
  // Conv2DBackpropInput, its gradients are Conv2D (x) and Conv2DBackpropFilter (W).
  for (const c of CONV_CASES.filter((k) => typeof k.pad === 'string')) {
    it(`conv2dTranspose and its gradients: ${label(c)}`, async () => {
      await expectMatchesStockCpu(backend, () => {
        const probe = tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.f) as tf.Tensor4D, c.strides, c.pad as 'same');
        const outShape = c.x;
        const x = randn(probe.shape, 4) as tf.Tensor4D;
        const f = randn(c.f, 5) as tf.Tensor4D;
        const pad = c.pad as 'same' | 'valid';
        const y = tf.conv2dTranspose(x, f, outShape, c.strides, pad);
        const dy = randn(outShape, 6);
        const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, outShape, c.strides, pad),
        )([x, f], dy);
        return [y, dx as tf.Tensor, df as tf.Tensor];
      });
    });
  }

  // The dispatcher uses the sub-pixel form at stride 1 and the GEMM form otherwise: check each
  // form on every case (and the GEMM form with one batch element per chunk).
  const forms: Array<[string, KernelFactory]> = [
    ['sub-pixel', conv2dBackpropInputSubPixelFactory],
    ['GEMM + col2im', conv2dBackpropInputGemmFactory],
    ['GEMM + col2im, chunked', makeConv2dBackpropInputGemm(1)],
  ];
  for (const [formName, factory] of forms) {
    it(`Conv2DBackpropInput, ${formName} form, on every case`, async () => {
      const current = tf.getKernel('Conv2DBackpropInput', backend) as tf.KernelConfig;
      const form = { kernelName: 'Conv2DBackpropInput', backendName: backend, kernelFunc: factory(backend, undefined) };
      tf.unregisterKernel('Conv2DBackpropInput', backend);
      tf.registerKernel(form);
      try {
        for (const c of CONV_CASES) {
          await expectMatchesStockCpu(backend, () => {
            const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, 1, c.pad);
            const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
            return runKernel('Conv2DBackpropInput', { dy: randn(info.outShape, 19), filter: randn(c.f, 20) }, attrs);
          });
        }
      } finally {
        tf.unregisterKernel('Conv2DBackpropInput', backend);
        tf.registerKernel(current);
      }
    });
  }

  it('Conv2DBackpropFilter and Conv2DBackpropInput with explicit pads wider than the filter', async () => {
    const pads: tf.backend_util.ExplicitPadding[] = [
      [
        [0, 0],
        [4, 0],
        [1, 5],
        [0, 0],
      ],
      [
        [0, 0],
        [0, 3],
        [3, 0],
        [0, 0],
      ],
    ];
    for (const pad of pads) {
      for (const strides of [1, 2]) {
        await expectMatchesStockCpu(backend, () => {
          const xShape: [number, number, number, number] = [2, 7, 6, 3];
          const fShape: [number, number, number, number] = [3, 2, 3, 2];
          const info = tf.backend_util.computeConv2DInfo(xShape, fShape, strides, 1, pad);
          const x = randn(xShape, 7);
          const f = randn(fShape, 8);
          const dy = randn(info.outShape, 9);
          const common = { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
          return [
            runKernel('Conv2DBackpropFilter', { x, dy }, { ...common, filterShape: fShape }),
            runKernel('Conv2DBackpropInput', { dy, filter: f }, { ...common, inputShape: xShape }),
          ];
        });
      }
    }
  });

  it('numeric pads with a rounding mode', async () => {
    await expectMatchesStockCpu(backend, () => {
      const x = randn([2, 8, 8, 2], 10) as tf.Tensor4D;
      const f = randn([3, 3, 2, 3], 11) as tf.Tensor4D;
      const y = tf.conv2d(x, f, 3, 2, 'NHWC', 1, 'ceil');
      const dy = randn(y.shape, 12);
      const common = { strides: 3, pad: 2, dataFormat: 'NHWC', dimRoundingMode: 'ceil' };
      return [
        y,
        runKernel('Conv2DBackpropFilter', { x, dy }, { ...common, filterShape: [3, 3, 2, 3] }),
        runKernel('Conv2DBackpropInput', { dy, filter: f }, { ...common, inputShape: [2, 8, 8, 2] }),
      ];
    });
  });

  if (backend === 'cpu') {
    it('conv2d gradients in NCHW (cpu)', async () => {
      await expectMatchesStockCpu(backend, () => {
        const x = randn([2, 3, 9, 8], 13) as tf.Tensor4D;
        const f = randn([3, 3, 3, 4], 14) as tf.Tensor4D;
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same', 'NCHW'));
        const y = tf.conv2d(x, f, 2, 'same', 'NCHW');
        return g([x, f], randn(y.shape, 15));
      });
    });
  }

  for (const [strides, pad, mult] of [
    [1, 'same', 1],
    [2, 'same', 2],
    [2, 'valid', 3],
  ] as const) {
    it(`depthwiseConv2d gradients: strides ${strides}, pad ${pad}, multiplier ${mult}`, async () => {
      await expectMatchesStockCpu(backend, () => {
        const x = randn([2, 7, 8, 3], 16) as tf.Tensor4D;
        const f = randn([3, 3, 3, mult], 17) as tf.Tensor4D;
        const y = tf.depthwiseConv2d(x, f, strides, pad);
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad));
        return [y, ...g([x, f], randn(y.shape, 18))];
      });
    });
  }

  it('empty batches give zero gradients', async () => {
    await expectMatchesStockCpu(backend, () => {
      const x = tf.zeros([0, 6, 6, 2]);
      const dy = tf.zeros([0, 3, 3, 3]);
      return runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] });
    });
  });
});
