import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
  const run = (args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; out: string } => {
    const result = spawnSync('sh', [join(ROOT, 'deploy/docker-entrypoint.sh'), ...args], {
      env: { PATH: `${fakeBin}:/usr/bin:/bin`, SHELFWATCH_HOME: ROOT, ...env },
      encoding: 'utf8',
    });
    return { status: result.status, out: `${result.stdout}${result.stderr}`.trim() };
  };

  afterAll(() => rmSync(fakeBin, { recursive: true, force: true }));

  it.each([...SERVICE_NAMES])('execs the %s service with the tracing preload', (service) => {
    const preload = `--require ./dist/libs/observability/src/preload.js dist/services/${service}/src/main.js`;
    expect(run([service])).toEqual({ status: 0, out: preload });
    expect(run([], { SHELFWATCH_SERVICE: service })).toEqual({ status: 0, out: preload });
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
