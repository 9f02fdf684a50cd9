import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { citationProblems, citationsOf, citedSourceFiles } from './doc-citations';

const ROOT = join(__dirname, '..', '..');

/** Documents whose every cited file, function and class must exist (doc-citations.ts says how to cite). */
const CHECKED_DOCS = ['docs/architecture.md', 'docs/life-of-a-crawl.md'];

describe('docs that cite the code', () => {
  it.each(CHECKED_DOCS)('%s cites only files that exist and names that occur in them', (doc) => {
    const markdown = readFileSync(join(ROOT, doc), 'utf8');
    expect(citationsOf(markdown).filter((c) => c.kind === 'name').length).toBeGreaterThan(0);
    expect(citationProblems(ROOT, doc, markdown)).toEqual([]);
  });

  it('docs/life-of-a-crawl.md follows one crawl through at most 30 source files', () => {
    const files = citedSourceFiles(readFileSync(join(ROOT, 'docs/life-of-a-crawl.md'), 'utf8'));
    expect(files.length).toBeGreaterThan(10);
    expect(files.length).toBeLessThanOrEqual(30);
  });
});

describe('citation checks', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'doc-citations-'));
    mkdirSync(join(root, 'services', 'crawler'), { recursive: true });
    mkdirSync(join(root, 'docs'));
    writeFileSync(
      join(root, 'services', 'crawler', 'crawl.worker.ts'),
      'export class CrawlWorker {\n  runNext() {}\n}\n',
    );
    writeFileSync(join(root, 'docs', 'other.md'), '# other\n');
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const problems = (markdown: string): string[] => citationProblems(root, 'docs/doc.md', markdown);

  it('accepts a file, its class, its method and a link that exist', () => {
    expect(
      problems('`services/crawler/crawl.worker.ts` `CrawlWorker`, `CrawlWorker.runNext()`; [other](other.md)'),
    ).toEqual([]);
  });

  it('reports a file that does not exist', () => {
    expect(problems('see `services/crawler/crawl.loops.ts`')).toEqual([
      'docs/doc.md:1: services/crawler/crawl.loops.ts does not exist',
    ]);
  });

  it('reports a function or class that does not occur in the file cited before it', () => {
    expect(problems('`services/crawler/crawl.worker.ts` `CrawlWorker.claimNext()` `CrawlLoops`')).toEqual([
      'docs/doc.md:1: claimNext (of CrawlWorker.claimNext()) does not occur in services/crawler/crawl.worker.ts',
      'docs/doc.md:1: CrawlLoops (of CrawlLoops) does not occur in services/crawler/crawl.worker.ts',
    ]);
  });

  it('binds names followed by " in " to that file, and a list of them', () => {
    expect(
      problems('`CrawlWorker` and `CrawlWorker.runNext()` in `services/crawler/crawl.worker.ts`, then `docs/other.md`'),
    ).toEqual([]);
    expect(problems('`runNext()` and `claim()` in\n`services/crawler/crawl.worker.ts`')).toEqual([
      'docs/doc.md:1: claim (of claim()) does not occur in services/crawler/crawl.worker.ts',
    ]);
  });

  it('matches whole words only', () => {
    expect(problems('`services/crawler/crawl.worker.ts` `runNex()`')).toHaveLength(1);
  });

  it('applies a file to the rest of its list item, and not to the next item or paragraph', () => {
    expect(
      problems('1. `services/crawler/crawl.worker.ts` does\n   `CrawlWorker.runNext()`\n2. then `runNext()`'),
    ).toEqual(['docs/doc.md:3: runNext() is cited without its file']);
    expect(problems('`services/crawler/crawl.worker.ts` does\n\n`runNext()`')).toHaveLength(1);
  });

  it('reports a function cited without its file, and a broken link', () => {
    expect(problems('`runNext()` and [gone](gone.md)')).toEqual([
      'docs/doc.md:1: runNext() is cited without its file',
      'docs/doc.md:1: link gone.md points at nothing',
    ]);
  });

  it('does not read fenced code blocks, and ignores constants, subjects and external links', () => {
    expect(
      problems('```\n`services/nowhere.ts`\n```\n`crawl.completed` `CRAWL` [x](https://example.com) [y](#top)'),
    ).toEqual([]);
  });

  it('counts distinct source files, not docs or tests', () => {
    expect(
      citedSourceFiles(
        '`services/a.ts` `services/a.ts` `libs/b.ts` `docs/c.md` `tools/e.spec.ts`\n```\n`services/d.ts`\n```',
      ),
    ).toEqual(['services/a.ts', 'libs/b.ts']);
  });
});
