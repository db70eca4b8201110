import { fileURLToPath } from 'node:url';
import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '../vitest.shared.js';

// `root` makes `npx vitest run --config docs/vitest.config.ts` work from the repository root too.
export default mergeConfig(shared, defineProject({ root: fileURLToPath(new URL('.', import.meta.url)), test: { name: 'docs' } }));
