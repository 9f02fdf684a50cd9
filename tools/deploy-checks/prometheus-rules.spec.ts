import { DEFAULT_PORTS, GATEWAY_METRICS_PORT, SERVICE_NAMES } from '@shelfwatch/config';
import { readText, readYaml } from './manifests';
import { seriesIn, seriesNames } from './metric-catalogue';
import { runPromtool } from './promtool';

// deploy/prometheus: the scrape configuration reaches every service's /metrics, the alert rules pass
// `promtool check rules` and their unit tests (`promtool test rules`), and every rule queries metrics the code
// registers. promtool comes from Debian's `prometheus` package (.ci/run installs it).

const RULES = 'deploy/prometheus/rules/shelfwatch.yml';
const RULE_TESTS = 'deploy/prometheus/tests/shelfwatch.test.yml';

interface AlertRule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  static_configs: { targets: string[]; labels?: Record<string, string> }[];
}

const rules = (readYaml(RULES) as { groups: { rules: AlertRule[] }[] }).groups.flatMap((group) => group.rules);

describe('Prometheus alert rules', () => {
  it('pass promtool check rules', () => {
    const result = runPromtool(['check', 'rules', RULES]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it('pass their unit tests (promtool test rules)', () => {
    const result = runPromtool(['test', 'rules', RULE_TESTS]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it('cover consumer lag, dead letters, set-aside outbox rows, breakers, crawl failures, quota, readiness and the error rate', () => {
    expect(rules.map((rule) => rule.alert).sort()).toEqual(
      [
        'ShelfWatchBreakerOpen',
        'ShelfWatchConsumerLag',
        'ShelfWatchCrawlFailureRate',
        'ShelfWatchDeadLettersGrowing',
        'ShelfWatchHighErrorRate',
        'ShelfWatchOutboxRowsSetAside',
        'ShelfWatchQuotaNearlySpent',
        'ShelfWatchServiceNotReady',
        'ShelfWatchWebhookBreakersOpen',
      ].sort(),
    );
  });

  it('have a unit test each', () => {
    const tested = readText(RULE_TESTS);
    for (const { alert } of rules) {
      expect(tested).toContain(`alertname: ${alert}\n`);
    }
  });

  it.each(rules.map((rule) => [rule.alert, rule] as const))(
    '%s queries only metrics the services register, and has a severity and a summary',
    async (_alert, rule) => {
      const known = await seriesNames();
      expect(seriesIn(rule.expr).filter((name) => !known.has(name))).toEqual([]);
      expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toBeTruthy();
    },
  );

  it('are each explained in docs/operations.md, with what to do', () => {
    const docs = readText('docs/operations.md');
    for (const { alert } of rules) {
      expect(docs).toContain(`\`${alert}\``);
    }
  });
});

describe('Prometheus configuration (deploy/prometheus/prometheus.yml)', () => {
  it('passes promtool check config', () => {
    const result = runPromtool(['check', 'config', '--syntax-only', 'deploy/prometheus/prometheus.yml']);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it('scrapes every service on the port that serves its /metrics, labelled with the service', () => {
    const config = readYaml('deploy/prometheus/prometheus.yml') as { scrape_configs: ScrapeConfig[] };
    const job = config.scrape_configs.find((candidate) => candidate.job_name === 'shelfwatch');
    const targets = Object.fromEntries(
      (job?.static_configs ?? []).flatMap(({ targets: hosts, labels }) => hosts.map((host) => [labels?.service, host])),
    );
    const expected = Object.fromEntries(
      SERVICE_NAMES.map((service) => [
        service,
        `${service}:${service === 'gateway' ? GATEWAY_METRICS_PORT : DEFAULT_PORTS[service]}`,
      ]),
    );
    expect(job?.metrics_path ?? '/metrics').toBe('/metrics');
    expect(targets).toEqual(expected);
  });

  it('is what docker-compose.yml runs, with the rules where the configuration looks for them', () => {
    const compose = readYaml('docker-compose.yml') as { services: Record<string, { volumes?: string[] }> };
    expect(compose.services.prometheus?.volumes).toEqual(
      expect.arrayContaining([
        './deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        './deploy/prometheus/rules:/etc/prometheus/rules:ro',
      ]),
    );
    const config = readYaml('deploy/prometheus/prometheus.yml') as { rule_files: string[] };
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
  });
});
