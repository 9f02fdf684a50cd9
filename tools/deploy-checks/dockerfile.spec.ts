import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_NAMES } from '@shelfwatch/config';
import { ROOT, exists, readText } from './manifests';

// No Docker engine runs here, so the image is checked as text: its stages, what reaches the runtime stage,
// the user it runs as, its health check and entry point.

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages with their instructions (continuation lines joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    if (instruction.keyword === 'FROM') {
      const [from = '', , name] = rest;
      stages.push({ name: name ?? String(stages.length), from, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

const stages = parseDockerfile(readText('Dockerfile'));
const runtime = stages.at(-1);
const all = (stage: Stage | undefined, keyword: string): string[] =>
  (stage?.instructions ?? []).filter((instruction) => instruction.keyword === keyword).map(({ args }) => args);

describe('Dockerfile', () => {
  it('builds in stages and ends with a runtime stage on the same Node image', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['base', 'deps', 'build', 'prod-deps', 'runtime']);
    expect(runtime?.from).toBe('${NODE_IMAGE}');
    expect(readText('Dockerfile')).toMatch(/^ARG NODE_IMAGE=node:24\.\d+\.\d+-bookworm-slim$/m);
  });

  it('runs as an unprivileged numeric user', () => {
    const users = all(runtime, 'USER');
    expect(users).toHaveLength(1);
    const [uid = '0'] = (users[0] ?? '').split(':');
    expect(Number(uid)).toBeGreaterThan(0);
  });

  it('copies production dependencies and compiled code only into the runtime stage', () => {
    const fromStages = all(runtime, 'COPY').map((args) => /--from=(\S+)/.exec(args)?.[1]);
    expect(new Set(fromStages)).toEqual(new Set(['prod-deps', 'build', undefined]));
    expect(all(runtime, 'COPY').filter((args) => args.includes('--from=build'))).toEqual([
      '--from=build --chown=root:root /app/dist dist',
    ]);
    const install = all(
      stages.find((stage) => stage.name === 'prod-deps'),
      'RUN',
    ).join(' ');
    expect(install).toMatch(/npm (ci|install) .*--omit=dev/);
    expect(install).toMatch(/--omit=optional/);
  });

  it('builds the dashboard the gateway serves into dist, which the runtime stage copies', () => {
    const build = all(
      stages.find((stage) => stage.name === 'build'),
      'RUN',
    ).join(' ');
    expect(build).toContain('node web/dashboard/build.mjs');
  });

  it('installs every workspace library it compiles', () => {
    const libs = readdirSync(join(ROOT, 'libs')).filter((lib) => exists(`libs/${lib}/package.json`));
    const copies = all(stages[0], 'COPY');
    for (const lib of libs) {
      expect(copies).toContain(`libs/${lib}/package.json libs/${lib}/index.js libs/${lib}/`);
    }
  });

  it('has a health check and an exec-form entry point that gets the signals', () => {
    expect(all(runtime, 'HEALTHCHECK')).toEqual([
      expect.stringMatching(/CMD \["node", "dist\/tools\/cli\/healthcheck\.js"\]$/),
    ]);
    expect(exists('tools/cli/healthcheck.ts')).toBe(true);
    expect(all(runtime, 'ENTRYPOINT')).toEqual(['["/usr/local/bin/shelfwatch"]']);
    expect(all(runtime, 'ENV').join(' ')).toContain('NODE_ENV=production');
  });
});

describe('deploy/docker-entrypoint.sh', () => {
  // Runs the real script with a stand-in `node` that prints the arguments it was exec'd with.
  const fakeBin = mkdtempSync(join(tmpdir(), 'sw-entry-'));
  writeFileSync(join(fakeBin, 'node'), '#!/bin/sh\necho "$@"\n', { mode: 0o755 });
  // A cgroup directory of the test's own: no memory limit unless a test writes one.
  const cgroup = mkdtempSync(join(tmpdir(), 'sw-cgroup-'));
  const run = (args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; out: string } => {
    const result = spawnSync('sh', [join(ROOT, 'deploy/docker-entrypoint.sh'), ...args], {
      env: { PATH: `${fakeBin}:/usr/bin:/bin`, SHELFWATCH_HOME: ROOT, SHELFWATCH_CGROUP_DIR: cgroup, ...env },
      encoding: 'utf8',
    });
    return { status: result.status, out: `${result.stdout}${result.stderr}`.trim() };
  };

  afterAll(() => {
    rmSync(fakeBin, { recursive: true, force: true });
    rmSync(cgroup, { recursive: true, force: true });
  });

  it.each([...SERVICE_NAMES])('execs the %s service with the tracing preload', (service) => {
    const preload = `--require ./dist/libs/observability/src/preload.js dist/services/${service}/src/main.js`;
    expect(run([service])).toEqual({ status: 0, out: preload });
    expect(run([], { SHELFWATCH_SERVICE: service })).toEqual({ status: 0, out: preload });
  });

  describe('the heap of a service in a container with a memory limit', () => {
    const limited = mkdtempSync(join(tmpdir(), 'sw-cgroup-'));
    const withLimit = (content: string, file = 'memory.max'): string => {
      rmSync(limited, { recursive: true, force: true });
      mkdirSync(join(limited, file, '..'), { recursive: true });
      writeFileSync(join(limited, file), `${content}\n`);
      return limited;
    };
    const main = '--require ./dist/libs/observability/src/preload.js dist/services/reporting/src/main.js';

    afterAll(() => rmSync(limited, { recursive: true, force: true }));

    it('gets 60 % of the cgroup v2 limit, or NODE_HEAP_PERCENT of it', () => {
      const dir = withLimit(String(512 * 1024 * 1024));
      expect(run(['reporting'], { SHELFWATCH_CGROUP_DIR: dir }).out).toBe(`--max-old-space-size=307 ${main}`);
      expect(run(['reporting'], { SHELFWATCH_CGROUP_DIR: dir, NODE_HEAP_PERCENT: '50' }).out).toBe(
        `--max-old-space-size=256 ${main}`,
      );
    });

    it('reads the cgroup v1 limit too, and ignores its "no limit" number', () => {
      const file = 'memory/memory.limit_in_bytes';
      expect(run(['reporting'], { SHELFWATCH_CGROUP_DIR: withLimit(String(256 * 1024 * 1024), file) }).out).toBe(
        `--max-old-space-size=153 ${main}`,
      );
      expect(run(['reporting'], { SHELFWATCH_CGROUP_DIR: withLimit('9223372036854771712', file) }).out).toBe(main);
    });

    it('leaves V8 its default without a limit, and never overrides a heap NODE_OPTIONS sets', () => {
      expect(run(['reporting'], { SHELFWATCH_CGROUP_DIR: withLimit('max') }).out).toBe(main);
      const dir = withLimit(String(512 * 1024 * 1024));
      expect(run(['reporting'], { SHELFWATCH_CGROUP_DIR: dir, NODE_OPTIONS: '--max-old-space-size=96' }).out).toBe(
        main,
      );
    });

    it('never sizes the heap of the one-shot commands', () => {
      const dir = withLimit(String(512 * 1024 * 1024));
      expect(run(['migrate', 'ranking'], { SHELFWATCH_CGROUP_DIR: dir }).out).toBe('dist/tools/cli/migrate.js ranking');
    });
  });

  it('runs the simulator, the migrations of named services and the provisioning', () => {
    expect(run(['sim']).out).toBe('dist/tools/marketplace-sim/src/main.js');
    expect(run(['migrate', 'ranking']).out).toBe('dist/tools/cli/migrate.js ranking');
    expect(run(['provision']).out).toBe('dist/tools/cli/provision.js');
    expect(run(['setup']).out).toBe('dist/tools/cli/migrate.js\ndist/tools/cli/provision.js');
  });

  it('refuses anything else with its usage', () => {
    const { status, out } = run(['shell']);
    expect(status).toBe(64);
    expect(out).toContain('usage: shelfwatch gateway|crawler|');
  });
});

describe('.dockerignore', () => {
  it('lets in only what the build copies, never local state or secrets', () => {
    const rules = readText('.dockerignore')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(rules[0]).toBe('**');
    const included = rules.filter((rule) => rule.startsWith('!'));
    expect(included.filter((rule) => /\.data|dist|node_modules|\.env|\.git/.test(rule))).toEqual([]);
    expect(rules).toEqual(expect.arrayContaining(['**/node_modules', '.env']));
  });
});
