/**
 * Cost of one acquire (and release) of the crawler's shared request budget in Postgres, with three processes
 * acquiring the same credential's budget at once (as three crawler replicas), against the in-process cap it
 * replaced. Limits are set out of reach, so the figures are the bookkeeping alone, never a wait.
 * `npm run build && node dist/bench/budget.bench.js` (`--quick`: fewer acquires); writes bench/budget-results.json.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { Secret } from '@shelfwatch/config';
import { ormOptions } from '@shelfwatch/persistence';
import { BudgetStore } from '../services/crawler/src/budget/budget.store';
import { SharedRequestBudget } from '../services/crawler/src/budget/shared-request-budget';
import { crawlerPersistence } from '../services/crawler/src/crawler.persistence';
import { MarketplaceRegistry } from '../services/crawler/src/marketplaces/marketplace-registry';
import { NaverShoppingAdapter } from '../services/crawler/src/marketplaces/naver/naver.adapter';
import { nextSeoulMidnight } from '../services/crawler/src/marketplaces/naver/naver.parse';
import { ROOT, benchPlatform } from './bench-processes';
import { loadAverage, machineInfo, quickMode } from './bench-report';

const PROCESSES = 3;
const TENANTS = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];

interface WorkerResult {
  acquires: number;
  elapsedMs: number;
  latenciesMs: number[];
}

function percentile(sorted: number[], p: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0) * 1000) / 1000;
}

async function worker(url: string, acquires: number): Promise<WorkerResult> {
  const orm = await MikroORM.init(ormOptions(crawlerPersistence, url, 4));
  const registry = new MarketplaceRegistry([
    {
      id: 'naver',
      name: 'Naver Shopping',
      adapter: new NaverShoppingAdapter({ baseUrl: 'http://127.0.0.1:9' }),
      limits: { ratePerSecond: 1_000_000, maxConcurrency: 1_000_000, dailyQuota: 100_000_000, requestTimeoutMs: 8_000 },
      platformCredentials: null,
      credentialVariables: [],
      baseUrl: 'http://127.0.0.1:9',
      nextQuotaReset: (now) => nextSeoulMidnight(now.getTime()),
    },
  ]);
  const budget = new SharedRequestBudget(orm, new BudgetStore(), registry);
  const credential = {
    marketplace: 'naver',
    source: 'platform' as const,
    budgetKey: 'naver:platform',
    credentials: { clientId: new Secret('id'), clientSecret: new Secret('secret') },
  };
  const latenciesMs: number[] = [];
  const started = performance.now();
  for (let i = 0; i < acquires; i++) {
    const at = performance.now();
    const permit = await budget.acquire({ credential, tenantId: TENANTS[i % TENANTS.length] ?? '' });
    await permit.release();
    latenciesMs.push(performance.now() - at);
  }
  const elapsedMs = performance.now() - started;
  await orm.close();
  return { acquires, elapsedMs, latenciesMs };
}

/** The replaced in-process cap, uncontended: a permit count and a request count behind one await, no I/O. */
async function inProcessCapUs(acquires: number): Promise<number> {
  let inUse = 0;
  let sent = 0;
  const started = performance.now();
  for (let i = 0; i < acquires; i++) {
    inUse += 1;
    sent += 1;
    await Promise.resolve();
    inUse -= 1;
  }
  return ((performance.now() - started) * 1000) / Math.max(1, sent - inUse);
}

function runWorker(url: string, acquires: number): Promise<WorkerResult> {
  const child = spawn(process.execPath, [__filename, '--worker', url, String(acquires)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as WorkerResult) : reject(new Error(`worker exited ${code}`)),
    ),
  );
}

async function main(): Promise<void> {
  if (process.argv[2] === '--worker') {
    process.stdout.write(JSON.stringify(await worker(process.argv[3] ?? '', Number(process.argv[4]))));
    return;
  }
  const acquires = quickMode() ? 100 : 1_000;
  const platform = await benchPlatform(['crawler']);
  try {
    const loadBefore = loadAverage();
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, () => runWorker(platform.db.adminUrl, acquires)),
    );
    const latencies = results.flatMap((result) => result.latenciesMs).sort((a, b) => a - b);
    const slowest = Math.max(...results.map((result) => result.elapsedMs));
    const report = {
      measuredAt: new Date().toISOString(),
      machine: machineInfo(),
      loadAverage: { before: loadBefore, after: loadAverage() },
      processes: PROCESSES,
      acquiresPerProcess: acquires,
      postgres: {
        perAcquireMs: {
          p50: percentile(latencies, 0.5),
          p95: percentile(latencies, 0.95),
          p99: percentile(latencies, 0.99),
        },
        acquiresPerSecondAllProcesses: Math.round((PROCESSES * acquires * 1000) / slowest),
      },
      inProcessCapPerAcquireUs: Math.round((await inProcessCapUs(1_000_000)) * 1000) / 1000,
    };
    writeFileSync(join(ROOT, 'bench', 'budget-results.json'), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await platform.db.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
