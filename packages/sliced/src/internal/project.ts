/**
 * Radon projections laid out for sorting: `[L, n]`, one row per direction, so the 1D solver sorts
 * along the fast (last) axis. tfjs's matMul gradient uses transposed matMuls, which are 10–50×
 * slower than plain ones on the wasm backend; these projections carry their own gradients built
 * from plain matMuls and one explicit transpose.
 */
import * as tf from '@tensorflow/tfjs-core';
import { customGrad1, customGrad2 } from '@ot/core';

/**
 * `[L, n]` = (X D)ᵀ. The wasm matMul (XNNPACK) packs its second operand on every call, so the
 * small direction matrix goes second; the `[n, L]` result is then transposed.
 */
function forward(X: tf.Tensor2D, D: tf.Tensor2D): tf.Tensor2D {
  return tf.transpose(tf.matMul(X, D)) as tf.Tensor2D;
}

/** dX `[n, d]` from dPt `[L, n]`: (dPt)ᵀ Dᵀ, the small `Dᵀ` second. */
function gradX(dPt: tf.Tensor2D, Dt: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(tf.transpose(dPt), Dt) as tf.Tensor2D;
}

/**
 * Projections `[L, n]` of `X` `[n, d]` on the columns of `D` `[d, L]`, differentiable w.r.t. `X`
 * only (the directions are constants, as in SW).
 */
export function projectRows(X: tf.Tensor2D, D: tf.Tensor2D): tf.Tensor2D {
  const Dt = tf.transpose(D);
  const f = customGrad1((x: tf.Tensor2D, save: tf.GradSaveFunc) => {
    save([Dt]);
    return {
      value: forward(x, D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => gradX(dy as tf.Tensor2D, saved[0] as tf.Tensor2D),
    };
  });
  const out = f(X) as tf.Tensor2D;
  Dt.dispose();
  return out;
}

/**
 * Projections `[L, n]` differentiable w.r.t. both `X` `[n, d]` and the directions `D` `[d, L]`
 * (Max-SW ascent, amortized slicers).
 */
export function projectRowsWithDirections(X: tf.Tensor2D, D: tf.Tensor2D): tf.Tensor2D {
  const f = customGrad2((x: tf.Tensor2D, dirs: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const Dt = tf.transpose(dirs);
    save([x, Dt]);
    return {
      value: forward(x, dirs),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, dts] = saved as [tf.Tensor2D, tf.Tensor2D];
        const dPt = dy as tf.Tensor2D;
        // dDᵀ = dPt X  ([L, n] @ [n, d]), a plain matMul.
        return [gradX(dPt, dts), tf.transpose(tf.matMul(dPt, xs))];
      },
    };
  });
  return f(X, D) as tf.Tensor2D;
}

/**
 * Projections `[L, n]` differentiable w.r.t. the directions `D` `[d, L]` only (`X` is data held
 * fixed, as in the inner ascent of Max-SW).
 */
export function projectRowsForDirections(X: tf.Tensor2D, D: tf.Tensor2D): tf.Tensor2D {
  const f = customGrad1((dirs: tf.Tensor2D, save: tf.GradSaveFunc) => {
    save([X]);
    return {
      value: forward(X, dirs),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.transpose(tf.matMul(dy as tf.Tensor2D, saved[0] as tf.Tensor2D)),
    };
  });
  return f(D) as tf.Tensor2D;
}
