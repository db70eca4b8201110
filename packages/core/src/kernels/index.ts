/**
 * Kernels that `@ot/core` registers for backends where the stock tfjs kernel is missing, wrong or
 * pathologically slow (see the package README). {@link registerBackendKernels} is called by
 * `initBackend` and is idempotent.
 */

const registered = new Set<string>();

/** Registers the replacement kernels for `backendName`; returns the kernel names registered. */
export function registerBackendKernels(backendName: string): string[] {
  if (registered.has(backendName)) return [];
  registered.add(backendName);
  return [];
}
