/**
 * jose 6 is ESM-only. Compiled to CommonJS, a static import becomes require(), which Node
 * ≥ 20.19 / 22.12 loads natively (and jest transforms); older Node 20 answers
 * ERR_REQUIRE_ESM, so fall back to a real dynamic import that TypeScript leaves alone.
 */
type Jose = typeof import('jose');

let loading: Promise<Jose> | undefined;

const nativeImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Jose>;

export function loadJose(): Promise<Jose> {
  return (loading ??= (async () => {
    try {
      return require('jose') as Jose;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw e;
      return nativeImport('jose');
    }
  })());
}
