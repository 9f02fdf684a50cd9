import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ROOT } from './manifests';

/** Where promtool is looked for: the PATH, then Debian's `prometheus` package location. */
const PROMTOOL_CANDIDATES = ['promtool', '/usr/bin/promtool'];

function promtool(): string {
  for (const candidate of PROMTOOL_CANDIDATES) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // Try the next one.
    }
  }
  throw new Error('promtool is needed to check the Prometheus rules: apt-get install prometheus (Debian/Ubuntu)');
}

/** What promtool said, and whether it succeeded. */
export interface PromtoolResult {
  ok: boolean;
  output: string;
}

/** Runs `promtool <args>` in the repository root. */
export function runPromtool(args: string[]): PromtoolResult {
  try {
    const output = execFileSync(promtool(), args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout}${stderr}` };
  }
}

/**
 * Parses PromQL expressions with promtool (as recording rules of a throw-away rules file): the result names
 * every expression that does not parse.
 */
export function checkExpressions(exprs: readonly string[]): PromtoolResult {
  const dir = mkdtempSync(join(tmpdir(), 'promql-'));
  try {
    const file = join(dir, 'expressions.yml');
    const rules = exprs.map((expr, index) => ({ record: `check:expression_${index}`, expr }));
    writeFileSync(file, stringify({ groups: [{ name: 'expressions', rules }] }));
    return runPromtool(['check', 'rules', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
