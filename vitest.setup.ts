import { initBackend } from '@ot/core';
import { setBackendActivator } from '@ot/test-utils';

// Every suite run by describeWithBackends switches backends through @ot/core, so the kernels
// that @ot/core registers for a backend are active in every package's tests.
setBackendActivator(async (name) => {
  await initBackend({ backend: name, quiet: true });
});
