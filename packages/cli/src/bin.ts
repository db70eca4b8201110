#!/usr/bin/env node
import { register } from 'node:module';

// tfjs-core's ESM build uses extensionless relative imports; see resolve-hook.ts.
register('./resolve-hook.js', import.meta.url);
const { main } = await import('./main.js');

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`ot: ${String(e)}\n`);
    process.exitCode = 1;
  },
);
