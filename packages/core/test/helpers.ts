/**
 * Small helpers shared by @ot/core's tests: error measurement against fixtures (recorded per
 * group and backend and printed after each file, for the README's agreement table) and
 * assertions on OTError codes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { isOTError, type OTErrorCode } from '@ot/core';

const record = new Map<string, number>();

/** Records the worst relative error seen for a fixture group on the active backend. */
export function noteError(group: string, err: number): void {
  const key = `${group} [${tf.getBackend()}]`;
  record.set(key, Math.max(record.get(key) ?? 0, err));
}

/** Prints the recorded errors (called from afterAll). */
export function printErrors(title: string): void {
  if (record.size === 0) return;
  const lines = [...record.entries()].map(([k, v]) => `  ${k.padEnd(48)} ${v.toExponential(2)}`);
  console.log(`max relative error vs references (${title}):\n${lines.join('\n')}`);
}

/** Asserts that `fn` throws an OTError with `code`. */
export function expectOTError(fn: () => unknown, code: OTErrorCode): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected OTError ${code}`).toBeDefined();
  if (!isOTError(thrown, code)) {
    expect.fail(`expected OTError ${code}, got ${String(thrown)}`);
  }
}

/** Async variant of {@link expectOTError}. */
export async function expectOTErrorAsync(fn: () => Promise<unknown>, code: OTErrorCode): Promise<void> {
  let thrown: unknown;
  try {
    await fn();
  } catch (e) {
    thrown = e;
  }
  if (!isOTError(thrown, code)) expect.fail(`expected OTError ${code}, got ${String(thrown)}`);
}
