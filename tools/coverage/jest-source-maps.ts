import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The part of a Jest transformer this needs (the same shape `@swc/jest` returns). */
interface Transformer {
  process(source: string, filename: string, options: { supportsStaticESM: boolean; instrument: boolean }): unknown;
}

/** `[transformer module, options]` as `jest.config.js` lists it for `.ts` files. */
type TransformEntry = [string, Record<string, unknown>];

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,(\S+)\s*$/;

/**
 * Gives c8 the source maps of the code Jest ran. V8 reports coverage of what `@swc/jest` made of each `.ts`
 * file, under the `.ts` file's name; c8 maps it back only with that code's map and line lengths, which Node
 * records for its own loaders (`source-map-cache`) but not for Jest's. This transforms each source file again
 * with Jest's own transformer and options (same input, same output) and writes the maps, in Node's
 * `source-map-cache` format, as one more report in the coverage directory.
 */
export function writeSourceMaps(root: string, coverageDir: string, sourceDirs: string[]): number {
  // Loaded as Jest loads them: the config from the root, the transformer as the root resolves it.
  const load = createRequire(join(root, 'package.json'));
  const config = load('./jest.config.js') as { projects: { transform: Record<string, TransformEntry> }[] };
  const [name, options] = Object.values(config.projects[0]?.transform ?? {})[0] ?? ['', {}];
  const { createTransformer } = load(name) as { createTransformer: (options: Record<string, unknown>) => Transformer };
  const transformer = createTransformer(options);
  const cache: Record<string, { lineLengths: number[]; data: unknown }> = {};
  for (const file of sourceDirs.flatMap((dir) => tsFiles(dir))) {
    const output = transformer.process(readFileSync(file, 'utf8'), file, {
      supportsStaticESM: false,
      instrument: false,
    });
    const code = typeof output === 'string' ? output : (output as { code: string }).code;
    const map = INLINE_MAP.exec(code)?.[1];
    if (map) {
      cache[pathToFileURL(file).href] = {
        lineLengths: code.split('\n').map((line) => line.length),
        data: JSON.parse(Buffer.from(map, 'base64').toString('utf8')) as unknown,
      };
    }
  }
  writeFileSync(join(coverageDir, 'jest-source-maps.json'), JSON.stringify({ result: [], 'source-map-cache': cache }));
  return Object.keys(cache).length;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => resolve(entry.parentPath, entry.name));
}

/** `node dist/tools/coverage/jest-source-maps.js <coverage dir>`: the maps of services/*\/src and libs/*\/src. */
if (require.main === module) {
  const root = resolve(__dirname, '../../..');
  const coverageDir = resolve(process.argv[2] ?? '');
  const sourceDirs = ['services', 'libs'].flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(root, group, entry.name, 'src')),
  );
  const count = writeSourceMaps(
    root,
    coverageDir,
    sourceDirs.filter((dir) => existsSync(dir)),
  );
  console.log(`source maps of ${count} files written to ${coverageDir}`);
}
