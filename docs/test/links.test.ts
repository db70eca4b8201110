/**
 * Builds the docs site into a temporary directory with TypeDoc (the same options as
 * `pnpm run docs`) and checks every internal link of every generated HTML page: the target file
 * exists and, when the link has a fragment, the target page has an element with that id or name.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DOCS = fileURLToPath(new URL('..', import.meta.url));
const ROOT = resolve(DOCS, '..');

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? htmlFiles(p) : p.endsWith('.html') ? [p] : [];
  });
}

/** Links that leave the site (or are not navigations) are not checked. */
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

const decode = (s: string): string => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

describe('docs site', () => {
  let out = '';
  let log = '';

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'ot-docs-'));
    const bin = join(ROOT, 'node_modules', '.bin', 'typedoc');
    const r = spawnSync(bin, ['--options', join(DOCS, 'typedoc.json'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
    log = `${r.stdout}${r.stderr}`;
    if (r.status !== 0) throw new Error(`typedoc failed (${r.status}):\n${log}`);
  });

  afterAll(() => {
    if (out !== '') rmSync(out, { recursive: true, force: true });
  });

  it('builds a page for every package and every guide', () => {
    for (const pkg of ['core', 'sliced', 'semidual', 'icnn', 'metrics', 'gen']) {
      expect(readdirSync(join(out, 'modules')).some((f) => f.includes(pkg)), `module page of @ot/${pkg}`).toBe(true);
    }
    const guides = readdirSync(join(DOCS, 'guides')).filter((f) => f.endsWith('.md'));
    const docs = htmlFiles(join(out, 'documents'));
    expect(docs.length).toBe(guides.length);
  });

  it('resolves every {@link} and relative link of the guides (no TypeDoc link warnings)', () => {
    const bad = log.split('\n').filter((l) => /Failed to resolve link|relative path .* is not a file|unknown document|could not be found/i.test(l));
    expect(bad).toEqual([]);
  });

  it('has no broken internal link in any generated page', () => {
    const files = htmlFiles(out);
    const ids = new Map<string, Set<string>>();
    const anchorsOf = (file: string): Set<string> => {
      let set = ids.get(file);
      if (set === undefined) {
        const html = readFileSync(file, 'utf8');
        set = new Set([...html.matchAll(/\s(?:id|name)="([^"]*)"/g)].map((m) => decode(m[1] ?? '')));
        ids.set(file, set);
      }
      return set;
    };
    const broken: string[] = [];
    let checked = 0;
    for (const file of files) {
      const html = readFileSync(file, 'utf8');
      for (const m of html.matchAll(/\shref="([^"]*)"/g)) {
        const href = decode(m[1] ?? '');
        if (href === '' || EXTERNAL.test(href)) continue;
        const [pathPart = '', fragment] = href.split('#', 2);
        const path = decodeURIComponent(pathPart.split('?')[0] ?? '');
        let target = path === '' ? file : resolve(dirname(file), path);
        if (existsSync(target) && statSync(target).isDirectory()) target = join(target, 'index.html');
        checked++;
        const where = `${relative(out, file)} → ${href}`;
        if (!existsSync(target)) broken.push(`${where} (no file)`);
        else if (fragment !== undefined && fragment !== '' && target.endsWith('.html') && !anchorsOf(target).has(decodeURIComponent(fragment))) {
          broken.push(`${where} (no anchor)`);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(broken).toEqual([]);
  });
});
