/**
 * A Conv2DBackpropFilter kernel for the tfjs wasm backend (4.22 lacks one), for the training
 * script only: dW[kh, kw, ci, co] = Σ_{b,i,j} x[b, i·s + kh, j·s + kw, ci] · dy[b, i, j, co]
 * computed as one forward convolution with the batch as the channel axis and the stride as the
 * dilation. `@ot/core` registers its own tested kernel once it ships; this one is only used when
 * no kernel is registered.
 */
import * as tf from '@tensorflow/tfjs-core';

function padAmounts(pad: unknown, inSize: number, k: number, s: number, outSize: number): [number, number] {
  if (pad === 'valid') return [0, 0];
  if (pad === 'same') {
    const total = Math.max((outSize - 1) * s + k - inSize, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }
  if (typeof pad === 'number') return [pad, pad];
  throw new Error(`unsupported pad ${String(pad)}`);
}

export function registerWasmConv2DBackpropFilter(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => {
      const x = inputs['x'] as tf.Tensor4D;
      const dy = inputs['dy'] as tf.Tensor4D;
      const a = attrs as unknown as { strides: number | [number, number]; pad: unknown; filterShape: [number, number, number, number] };
      const [sh, sw] = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
      const [kh, kw] = a.filterShape;
      return tf.tidy(() => {
        const [pt, pb] = padAmounts(a.pad, x.shape[1], kh, sh, dy.shape[1]);
        const [pl, pr] = padAmounts(a.pad, x.shape[2], kw, sw, dy.shape[2]);
        const xp = pt + pb + pl + pr > 0 ? tf.pad(x, [[0, 0], [pt, pb], [pl, pr], [0, 0]]) : x;
        const xt = tf.transpose(xp, [3, 1, 2, 0]); // [ci, H, W, B]
        const ft = tf.transpose(dy, [1, 2, 0, 3]); // [oh, ow, B, co]
        const r = tf.conv2d(xt as tf.Tensor4D, ft as tf.Tensor4D, 1, 'valid', 'NHWC', [sh, sw]); // [ci, kh', kw', co]
        const cut = tf.slice(r, [0, 0, 0, 0], [-1, kh, kw, -1]);
        return tf.transpose(cut, [1, 2, 0, 3]);
      }) as unknown as tf.TensorInfo;
    },
  });
}
