// Builds the seller dashboard into dist/dashboard: index.html, the hashed JS entry and CSS, and the Chart.js chunk.
// Usage: node web/dashboard/build.mjs (from the repository root or anywhere). Prints the gzipped sizes.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const outdir = join(root, 'dist', 'dashboard');

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const result = await build({
  entryPoints: [join(here, 'src', 'main.ts'), join(here, 'src', 'styles.css')],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  tsconfig: join(here, 'tsconfig.json'),
  entryNames: 'app-[hash]',
  // Chart.js goes to a chunk of its own, loaded by the first page that draws a chart.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  outdir,
  metafile: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});

// The contracts are imported for their types and a few plain constants (marketplaces, eBay sites, currencies); their
// schemas stay out (`sideEffects: false` in libs/contracts/package.json). Zod in the bundle means a schema came along.
const schemaInputs = Object.values(result.metafile.outputs)
  .flatMap((output) => Object.entries(output.inputs))
  .filter(([input, use]) => input.includes('node_modules/zod/') && use.bytesInOutput > 0)
  .map(([input]) => input);
if (schemaInputs.length > 0) {
  throw new Error(`the dashboard bundle pulls in zod (${schemaInputs[0]}): import only constants from the contracts`);
}

const outputs = Object.keys(result.metafile.outputs).map((file) => resolve(root, file));
const js = outputs.find((file) => basename(file).startsWith('app-') && file.endsWith('.js'));
const css = outputs.find((file) => file.endsWith('.css'));
const chunks = outputs.filter((file) => basename(file).startsWith('chunk-') && file.endsWith('.js'));
if (!js || !css) {
  throw new Error(`esbuild wrote no JS or CSS bundle: ${outputs.join(', ')}`);
}
const html = readFileSync(join(here, 'index.html'), 'utf8')
  .replace('%JS%', basename(js))
  .replace('%CSS%', basename(css));
writeFileSync(join(outdir, 'index.html'), html);

// Precompressed copies next to each file, for a static server that serves them (@fastify/static `preCompressed`).
const sizes = [join(outdir, 'index.html'), js, css, ...chunks].map((file) => {
  const bytes = readFileSync(file);
  const gzip = gzipSync(bytes, { level: 9 });
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  writeFileSync(`${file}.gz`, gzip);
  writeFileSync(`${file}.br`, brotli);
  return { file: basename(file), bytes: bytes.length, gzip: gzip.length, brotli: brotli.length };
});
writeFileSync(join(outdir, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
for (const size of sizes) {
  console.log(`${size.file}: ${kib(size.bytes)}, ${kib(size.gzip)} gzip, ${kib(size.brotli)} brotli`);
}
