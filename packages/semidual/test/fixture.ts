/** Typed access to the POT / torch reference values (scripts/fixtures/semidual_refs.py). */
import { loadFixture, type CTransformRefs } from '@ot/test-utils';

export interface SemiDualCase {
  lambda: number;
  optimum: number;
  transport: number;
  psi: number[];
  potSag: { finite: boolean; value?: number | null };
}

export interface SinkhornCase {
  reg: number;
  transport: number;
  entropic: number;
  f: number[];
  g: number[];
  plan: number[][];
}

export interface Refs {
  pot: string;
  ctransform: CTransformRefs;
  semidual: { X: number[][]; Y: number[][]; a: number[]; b: number[]; emd2: number; emdU: number[]; emdV: number[]; cases: SemiDualCase[] };
  sinkhorn: {
    X: number[][];
    Y: number[][];
    a: number[];
    b: number[];
    cases: SinkhornCase[];
    divergence: { reg: number; entropic: number; transport: number; potTransport: number };
  };
}

export const refs = await loadFixture<Refs>(import.meta.url, './fixtures/semidual_refs.json');

export function semidualCase(lambda: number): SemiDualCase {
  const c = refs.semidual.cases.find((k) => k.lambda === lambda);
  if (c === undefined) throw new Error(`no semidual fixture for lambda ${lambda}`);
  return c;
}

/** Relative difference |a − b| / |b|. */
export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}
