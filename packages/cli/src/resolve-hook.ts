/**
 * A Node module-resolution hook for the `ot` binary: tfjs-core 4.22's ESM files (`dist/*.js`, which
 * `@ot/core` imports to register gradients) import siblings without the `.js` extension, which
 * bundlers and tsx accept but Node's ESM loader rejects. Retry such relative, extensionless
 * specifiers with `.js` appended.
 */
interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<{ url: string }> {
  try {
    return await next(specifier, context);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT') && relative && !/\.[cm]?js$/.test(specifier)) {
      return next(`${specifier}.js`, context);
    }
    throw e;
  }
}
