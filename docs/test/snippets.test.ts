/**
 * The ```ts snippets of the guides are real programs: each is written to a module, typechecked
 * against the packages' public API (strict, as a user's project), then run on the backend
 * `initBackend` picks. (```typescript and ```sh blocks are illustrations: not run.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const DOCS = fileURLToPath(new URL('..', import.meta.url));
const ROOT = resolve(DOCS, '..');

interface Snippet {
  guide: string;
  index: number;
  code: string;
}

function snippets(): Snippet[] {
  const out: Snippet[] = [];
  for (const f of readdirSync(join(DOCS, 'guides')).filter((g) => g.endsWith('.md')).sort()) {
    const md = readFileSync(join(DOCS, 'guides', f), 'utf8');
    let i = 0;
    for (const m of md.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) out.push({ guide: f, index: i++, code: m[1] ?? '' });
  }
  return out;
}

const all = snippets();
// Inside docs/ so that the packages resolve from docs/node_modules, as in a user's project.
const dir = mkdtempSync(join(DOCS, 'test', '.snippets-'));
const files = all.map((s) => {
  const file = join(dir, `${s.guide.replace(/\.md$/, '')}-${s.index}.ts`);
  writeFileSync(file, `${s.code}\nexport {};\n`);
  return file;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('guide snippets', () => {
  it('every guide with a method has at least one runnable snippet', () => {
    const guides = new Set(all.map((s) => s.guide));
    for (const g of ['getting-started.md', 'sliced.md', 'semidual.md', 'icnn.md', 'metrics.md', 'generative.md']) expect(guides).toContain(g);
  });

  it('typecheck against the public API', () => {
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../../tsconfig.base.json',
        compilerOptions: { noEmit: true, rootDir: '../../..', types: ['node'], customConditions: ['source'], skipLibCheck: true },
        include: ['*.ts'],
      }),
    );
    const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    const errors = `${r.stdout}${r.stderr}`
      .split('\n')
      .filter((l) => l.includes('.snippets-') && l.includes('error TS'))
      .map((l) => l.slice(l.indexOf('.snippets-')));
    expect(errors).toEqual([]);
  });

  for (const [i, s] of all.entries()) {
    it(`runs ${s.guide} #${s.index}`, async () => {
      await import(pathToFileURL(files[i] ?? '').href);
    });
  }
});
