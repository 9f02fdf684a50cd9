import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/**
 * Citations of the code in a markdown document, so that a doc naming a file or a function that moved fails a
 * test instead of going stale. The rules a document follows (docs/architecture.md says them too):
 *
 * - A path is an inline code span starting with a top-level folder of the repository (`services/…`, `libs/…`)
 *   and is relative to the repository's root; it must exist.
 * - A function is cited as `name()` or `Class.method()`, a class or type as `PascalCase`, either followed by
 *   ` in ` and its file (`A` and `b()` in `path`), or after its file in the same paragraph, list item or table
 *   row: each part must occur, as a whole word, in that file. A function cited with no file is an error (a name
 *   alone cannot be checked); a class with no file is not checked.
 * - A relative markdown link must point at an existing file.
 *
 * Fenced code blocks are not read.
 */
export const ROOT_FOLDERS = ['libs', 'services', 'tools', 'bench', 'test', 'docs', 'web', 'deploy', 'k8s'] as const;

const PATH = new RegExp(`^(?:${ROOT_FOLDERS.join('|')})/[\\w./-]*$`);
const FUNCTION = /^([A-Za-z_$][\w$]*)(?:\.([A-Za-z_$][\w$]*))?\(\)$/;
const TYPE = /^[A-Z][a-z][A-Za-z0-9]*$/;
const CODE_SPAN = /`([^`\n]+)`/g;
const LINK = /\]\(([^)\s]+)\)/g;
/** A line that starts a new paragraph, list item, heading or table row: a cited file stops applying. */
const STARTS_BLOCK = /^\s*(?:$|#|\||\d+\.\s|[-*+]\s)/;

/** One thing a document says about the code that can be checked. */
export type Citation =
  | { kind: 'path'; line: number; path: string }
  | { kind: 'name'; line: number; name: string; parts: string[]; file: string | null }
  | { kind: 'link'; line: number; target: string };

/** A paragraph, list item, heading or table row outside fenced code: where a cited file applies. */
interface Block {
  line: number;
  text: string;
}

function blocksOf(markdown: string): Block[] {
  const blocks: Block[] = [];
  let fenced = false;
  let current: Block | null = null;
  for (const [index, text] of markdown.split('\n').entries()) {
    if (text.trimStart().startsWith('```')) {
      fenced = !fenced;
      current = null;
    } else if (fenced) {
      continue;
    } else if (current === null || STARTS_BLOCK.test(text)) {
      current = { line: index + 1, text };
      blocks.push(current);
    } else {
      current.text += `\n${text}`;
    }
  }
  return blocks;
}

interface Span {
  text: string;
  start: number;
  end: number;
}

/** Names listed together before ` in `: `A`, `B` and `C()` in `path`. */
const LISTED = /^\s*(?:,|and|or|,\s*and|,\s*or)\s*$/;
const IN = /^\s+in\s+$/;

/** The file a name at `index` is cited in: the path its list is followed by (`x()` in `path`), else `before`. */
function fileOf(block: string, spans: Span[], index: number, before: string | null): string | null {
  for (let i = index; i + 1 < spans.length; i++) {
    const gap = block.slice(spans[i]?.end, spans[i + 1]?.start);
    const next = spans[i + 1]?.text ?? '';
    if (IN.test(gap) && PATH.test(next)) {
      return next;
    }
    if (!LISTED.test(gap) || !(FUNCTION.test(next) || TYPE.test(next))) {
      break;
    }
  }
  return before;
}

/** The citations of `markdown`, in order. */
export function citationsOf(markdown: string): Citation[] {
  const citations: Citation[] = [];
  for (const block of blocksOf(markdown)) {
    const lineAt = (offset: number): number => block.line + (block.text.slice(0, offset).match(/\n/g)?.length ?? 0);
    const spans: Span[] = [...block.text.matchAll(CODE_SPAN)].map((match) => ({
      text: match[1] ?? '',
      start: match.index,
      end: match.index + match[0].length,
    }));
    let before: string | null = null;
    spans.forEach((span, index) => {
      const line = lineAt(span.start);
      if (PATH.test(span.text)) {
        citations.push({ kind: 'path', line, path: span.text });
        before = span.text;
        return;
      }
      const call = FUNCTION.exec(span.text);
      const file = call || TYPE.test(span.text) ? fileOf(block.text, spans, index, before) : null;
      if (call) {
        const parts = [call[1], call[2]].filter((part): part is string => part !== undefined);
        citations.push({ kind: 'name', line, name: span.text, parts, file });
      } else if (file !== null) {
        citations.push({ kind: 'name', line, name: span.text, parts: [span.text], file });
      }
    });
    for (const match of block.text.replace(CODE_SPAN, (code) => ' '.repeat(code.length)).matchAll(LINK)) {
      const target = match[1] ?? '';
      if (!/^[a-z]+:/.test(target) && !target.startsWith('#')) {
        citations.push({ kind: 'link', line: lineAt(match.index), target: target.split('#')[0] ?? target });
      }
    }
  }
  return citations;
}

function occursAsWord(text: string, word: string): boolean {
  return new RegExp(`(?<![\\w$])${word.replace(/\$/g, '\\$')}(?![\\w$])`).test(text);
}

/**
 * What is wrong with the citations of the document at `docPath` (relative to `root`): one message per path that
 * does not exist, name that does not occur in its file, or broken link. Empty when every citation holds.
 */
export function citationProblems(root: string, docPath: string, markdown: string): string[] {
  const problems: string[] = [];
  const sources = new Map<string, string>();
  const source = (file: string): string => {
    let text = sources.get(file);
    if (text === undefined) {
      text = readFileSync(join(root, file), 'utf8');
      sources.set(file, text);
    }
    return text;
  };
  const isFile = (file: string): boolean => existsSync(join(root, file)) && statSync(join(root, file)).isFile();
  for (const citation of citationsOf(markdown)) {
    const where = `${docPath}:${citation.line}`;
    switch (citation.kind) {
      case 'path':
        if (!existsSync(join(root, citation.path))) {
          problems.push(`${where}: ${citation.path} does not exist`);
        }
        break;
      case 'name':
        if (citation.file === null) {
          problems.push(`${where}: ${citation.name} is cited without its file`);
        } else if (!isFile(citation.file)) {
          problems.push(`${where}: ${citation.name} is cited after ${citation.file}, which is not a file`);
        } else {
          const text = source(citation.file);
          const missing = citation.parts.filter((part) => !occursAsWord(text, part));
          if (missing.length > 0) {
            problems.push(`${where}: ${missing.join(', ')} (of ${citation.name}) does not occur in ${citation.file}`);
          }
        }
        break;
      case 'link': {
        const target = normalize(join(dirname(docPath), citation.target));
        if (!existsSync(join(root, target))) {
          problems.push(`${where}: link ${citation.target} points at nothing`);
        }
        break;
      }
      default: {
        const unknown: never = citation;
        throw new Error(`unknown citation ${JSON.stringify(unknown)}`);
      }
    }
  }
  return problems;
}

/** The distinct source files a document cites (not docs, not tests). */
export function citedSourceFiles(markdown: string): string[] {
  const files = citationsOf(markdown).flatMap((c) =>
    c.kind === 'path' && /\.(ts|js|mjs)$/.test(c.path) && !/\.[\w-]*spec\.ts$/.test(c.path) ? [c.path] : [],
  );
  return [...new Set(files)];
}
