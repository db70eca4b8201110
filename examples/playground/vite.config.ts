import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/** URL prefix (relative to the page) under which the tfjs-backend-wasm binaries are served. */
export const WASM_DIR = 'tfjs-wasm/';

/**
 * Serves the `.wasm` files of @tensorflow/tfjs-backend-wasm under `WASM_DIR` in dev and copies them
 * into the build, so `initBackend({ wasmPath })` finds them whatever the bundler does to JS.
 */
function tfjsWasmFiles(): Plugin {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  const files = readdirSync(dir).filter((f) => f.endsWith('.wasm'));
  return {
    name: 'tfjs-wasm-files',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.split('?')[0]?.split('/').pop() ?? '';
        if (req.url?.includes(`/${WASM_DIR}`) === true && files.includes(name)) {
          res.setHeader('Content-Type', 'application/wasm');
          createReadStream(join(dir, name)).pipe(res);
          return;
        }
        next();
      });
    },
    generateBundle() {
      for (const f of files) this.emitFile({ type: 'asset', fileName: WASM_DIR + f, source: readFileSync(join(dir, f)) });
    },
  };
}

export default defineConfig({
  base: './',
  // Workspace packages resolve to their TypeScript sources, as in the tests: no prior build needed.
  resolve: { conditions: ['source', 'module', 'browser', 'import', 'default'] },
  plugins: [tfjsWasmFiles()],
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      // @ot/core's backend loader and @ot/icnn's benchmark reader import node:* modules only when
      // running in Node (dynamic imports behind a process check): leave them out of the page.
      external: [/^node:/],
      // The page imports the backends statically (src/backend.ts) so that they are bundled;
      // @ot/core's dynamic import of the wasm backend then shares that chunk, as intended.
      checks: { ineffectiveDynamicImport: false },
    },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
