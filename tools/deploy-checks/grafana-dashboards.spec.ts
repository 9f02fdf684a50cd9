import Ajv from 'ajv';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, readText, readYaml } from './manifests';
import { seriesIn, seriesNames } from './metric-catalogue';
import { checkExpressions } from './promtool';

// deploy/grafana: each dashboard is JSON Grafana loads (the fields its dashboard model requires, checked with a
// schema), on the provisioned Prometheus data source, and every query parses (promtool) and names metrics the
// code registers, so renaming a metric without its dashboards fails here.

const DASHBOARDS_DIR = 'deploy/grafana/dashboards';
const DATASOURCE_UID = 'prometheus';
/** Grafana's own variables, replaced by a sample value before promtool parses a query. */
const GRAFANA_VARIABLES = /\$__(rate_interval|interval|range)\b/g;

interface Target {
  refId: string;
  expr: string;
}

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource: { type: string; uid: string };
  targets: Target[];
}

interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
}

const datasource = {
  type: 'object',
  required: ['type', 'uid'],
  properties: { type: { const: 'prometheus' }, uid: { const: DATASOURCE_UID } },
};

/** What Grafana needs to load a dashboard from a file, and what these dashboards promise on top. */
const DASHBOARD_SCHEMA = {
  type: 'object',
  required: ['uid', 'title', 'schemaVersion', 'panels', 'time'],
  properties: {
    uid: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,40}$' },
    title: { type: 'string', minLength: 1 },
    schemaVersion: { type: 'integer', minimum: 36 },
    tags: { type: 'array', items: { type: 'string' }, contains: { const: 'shelfwatch' } },
    time: { type: 'object', required: ['from', 'to'] },
    panels: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'type', 'title', 'gridPos', 'datasource', 'targets'],
        properties: {
          id: { type: 'integer', minimum: 1 },
          type: { enum: ['timeseries', 'stat', 'gauge', 'bargauge', 'table', 'heatmap'] },
          title: { type: 'string', minLength: 1 },
          gridPos: {
            type: 'object',
            required: ['h', 'w', 'x', 'y'],
            properties: {
              h: { type: 'integer', minimum: 1 },
              w: { type: 'integer', minimum: 1, maximum: 24 },
              x: { type: 'integer', minimum: 0, maximum: 23 },
              y: { type: 'integer', minimum: 0 },
            },
          },
          datasource,
          targets: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['refId', 'expr'],
              properties: { refId: { type: 'string' }, expr: { type: 'string', minLength: 1 }, datasource },
            },
          },
        },
      },
    },
  },
};

const files = readdirSync(join(ROOT, DASHBOARDS_DIR)).filter((file) => file.endsWith('.json'));
const dashboards = files.map((file) => [file, JSON.parse(readText(`${DASHBOARDS_DIR}/${file}`)) as Dashboard] as const);
const validate = new Ajv({ allErrors: true }).compile(DASHBOARD_SCHEMA);

describe('Grafana dashboards (deploy/grafana/dashboards)', () => {
  it('are the platform overview, the crawl pipeline, the marketplaces and the API, each with its own uid', () => {
    expect(files.sort()).toEqual(['api.json', 'crawl-pipeline.json', 'marketplaces.json', 'platform-overview.json']);
    const uids = dashboards.map(([, dashboard]) => dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  describe.each(dashboards)('%s', (_file, dashboard) => {
    it('loads: the dashboard model Grafana reads, on the provisioned Prometheus data source', () => {
      validate(dashboard);
      expect(validate.errors ?? []).toEqual([]);
    });

    it('has panels with distinct ids that fit the 24-column grid without overlapping', () => {
      const ids = dashboard.panels.map((panel) => panel.id);
      expect(new Set(ids).size).toBe(ids.length);
      const cells = new Set<string>();
      for (const { gridPos, title } of dashboard.panels) {
        expect([title, gridPos.x + gridPos.w <= 24]).toEqual([title, true]);
        for (let x = gridPos.x; x < gridPos.x + gridPos.w; x += 1) {
          for (let y = gridPos.y; y < gridPos.y + gridPos.h; y += 1) {
            expect([title, cells.has(`${x},${y}`)]).toEqual([title, false]);
            cells.add(`${x},${y}`);
          }
        }
      }
    });

    const targets = dashboard.panels.flatMap((panel) =>
      panel.targets.map((target) => ({ panel: panel.title, ...target })),
    );

    it('has queries that parse as PromQL', () => {
      const result = checkExpressions(targets.map(({ expr }) => expr.replace(GRAFANA_VARIABLES, '5m')));
      expect(result.output).toContain('SUCCESS');
      expect(result.ok).toBe(true);
    });

    it('queries only metrics the services register', async () => {
      const known = await seriesNames();
      const unknown = targets.flatMap(({ panel, expr }) =>
        seriesIn(expr)
          .filter((name) => !known.has(name))
          .map((name) => `${panel}: ${name}`),
      );
      expect(unknown).toEqual([]);
    });
  });
});

describe('Grafana provisioning (deploy/grafana/provisioning)', () => {
  it('adds the Prometheus of docker-compose.yml under the uid the dashboards name', () => {
    const config = readYaml('deploy/grafana/provisioning/datasources/prometheus.yml') as {
      datasources: { uid: string; type: string; url: string }[];
    };
    expect(config.datasources).toEqual([
      expect.objectContaining({ uid: DATASOURCE_UID, type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
  });

  it('loads the dashboards from where docker-compose.yml mounts them', () => {
    const config = readYaml('deploy/grafana/provisioning/dashboards/shelfwatch.yml') as {
      providers: { type: string; options: { path: string } }[];
    };
    const path = config.providers[0]?.options.path;
    const compose = readYaml('docker-compose.yml') as { services: Record<string, { volumes?: string[] }> };
    expect(compose.services.grafana?.volumes).toEqual(
      expect.arrayContaining([
        `./${DASHBOARDS_DIR}:${path}:ro`,
        './deploy/grafana/provisioning:/etc/grafana/provisioning:ro',
      ]),
    );
  });
});
