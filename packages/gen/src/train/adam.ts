/**
 * Adam (Kingma & Ba, ICLR 2015) over a fixed list of variables, with its state (moments and step
 * count) exposed as named host arrays so checkpoints restore it exactly. The GAN papers' betas:
 * (0.5, 0.999) for DCGAN, (0, 0.9) for SNGAN and the amortized-SW experiments.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OTError, checkNumber, checkPositive } from '@ot/core';
import type { NamedWeight } from '../models/module.js';

export interface AdamOptions {
  lr: number;
  /** (β1, β2), default (0.5, 0.999). */
  betas?: readonly [number, number];
  eps?: number;
}

export class Adam {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  private t = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    private readonly vars: readonly tf.Variable[],
    options: AdamOptions,
  ) {
    this.lr = checkPositive(options.lr, 'lr');
    const [b1, b2] = options.betas ?? [0.5, 0.999];
    this.beta1 = checkNumber(b1, 'beta1', (x) => x >= 0 && x < 1, 'in [0, 1)');
    this.beta2 = checkNumber(b2, 'beta2', (x) => x >= 0 && x < 1, 'in [0, 1)');
    this.eps = checkPositive(options.eps ?? 1e-8, 'eps');
    const zeros = (x: tf.Variable) => {
      const z = tf.zerosLike(x);
      const v = tf.variable(z, false);
      z.dispose();
      return v;
    };
    this.m = vars.map(zeros);
    this.v = vars.map(zeros);
  }

  /** Applies one update with gradients aligned with the variables (missing gradients are skipped). */
  apply(grads: ReadonlyArray<tf.Tensor | undefined>): void {
    if (grads.length !== this.vars.length) throw new OTError('SHAPE_MISMATCH', `${grads.length} gradients for ${this.vars.length} variables`);
    this.t += 1;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    const step = this.lr * (Math.sqrt(c2) / c1);
    tf.tidy(() => {
      grads.forEach((g, i) => {
        if (g === undefined) return;
        const m = this.m[i] as tf.Variable;
        const v = this.v[i] as tf.Variable;
        const x = this.vars[i] as tf.Variable;
        const mNew = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const vNew = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        m.assign(mNew);
        v.assign(vNew);
        x.assign(tf.sub(x, tf.mul(tf.div(mNew, tf.add(tf.sqrt(vNew), this.eps * Math.sqrt(c2))), step)));
      });
    });
  }

  /**
   * Minimizes `loss` over the variables: computes the gradients, applies them, returns the loss value.
   */
  minimize(loss: () => tf.Scalar): number {
    const { value, grads } = tf.variableGrads(loss, this.vars as tf.Variable[]);
    const list = this.vars.map((x) => grads[x.name]);
    this.apply(list);
    const out = value.dataSync()[0] as number;
    value.dispose();
    tf.dispose(Object.values(grads));
    return out;
  }

  get iterations(): number {
    return this.t;
  }

  getState(): NamedWeight[] {
    const out: NamedWeight[] = [{ name: 't', shape: [], values: Float32Array.of(this.t) }];
    this.m.forEach((m, i) => out.push({ name: `m${i}`, shape: [...m.shape], values: m.dataSync() as Float32Array }));
    this.v.forEach((v, i) => out.push({ name: `v${i}`, shape: [...v.shape], values: v.dataSync() as Float32Array }));
    return out;
  }

  setState(state: readonly NamedWeight[]): void {
    const byName = new Map(state.map((w) => [w.name, w]));
    const t = byName.get('t');
    if (t === undefined) throw new OTError('INVALID_ARGUMENT', 'optimizer state lacks its step count');
    const restore = (vars: tf.Variable[], prefix: string) =>
      vars.forEach((x, i) => {
        const w = byName.get(`${prefix}${i}`);
        if (w === undefined || w.values.length !== x.size) throw new OTError('SHAPE_MISMATCH', `optimizer state '${prefix}${i}' is missing or has the wrong size`);
        tf.tidy(() => x.assign(tf.tensor(w.values, [...x.shape], 'float32')));
      });
    restore(this.m, 'm');
    restore(this.v, 'v');
    this.t = t.values[0] as number;
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
