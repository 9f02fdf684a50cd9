import { Inject, Injectable } from '@nestjs/common';
import { CRAWLER_MARKETPLACE_RPC, CrawlerMarketplaceStatuses } from '@shelfwatch/contracts';
import { CLOCK, Clock, NatsLink, RpcClientProxy } from '@shelfwatch/messaging';
import { lastValueFrom } from 'rxjs';
import { DependencyProbes } from '@shelfwatch/platform';
import { version } from '../../../../package.json';
import {
  HealthComponent,
  OverallStatus,
  crawlFreshness,
  marketplaceComponent,
  overallStatus,
  schedulerComponent,
  serviceComponent,
  unknownMarketplaceComponents,
} from './health-verdict';
import { InstanceRegistry } from './instance-registry';
import { JetStreamInspector, JetStreamState } from './jetstream.inspector';
import { HEALTH_DETAILS_OPTIONS, HealthDetailsOptions } from './health-details.options';

/** One running instance, as the detailed view lists it. */
export interface InstanceView {
  service: string;
  instanceId: string;
  version: string;
  host: string;
  uptimeSeconds: number;
  ready: boolean;
  stopping: boolean;
  lastSeenMsAgo: number;
}

/** The body of `GET /health`. */
export interface HealthDetails {
  status: OverallStatus;
  timestamp: string;
  version: string;
  components: HealthComponent[];
  instances: InstanceView[];
}

type Check = Omit<HealthComponent, 'latencyMs'>;

/** What the crawler said about its marketplaces, or null when it was not asked or did not answer. */
type MarketplaceFacts = {
  components: HealthComponent[];
  keywordsOverdue: number | null;
  lastCompletedAt: number | null;
};

/** Runs `check` within `timeoutMs`, timing it; a failure or timeout is the component `down` with the reason. */
async function timed(
  name: string,
  timeoutMs: number,
  check: () => Promise<Check | Check[]>,
): Promise<HealthComponent[]> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const result = await Promise.race([check(), timeout]);
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return (Array.isArray(result) ? result : [result]).map((component) => ({ ...component, latencyMs }));
  } catch (error) {
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return [{ name, status: 'down', latencyMs, message: error instanceof Error ? error.message : String(error) }];
  } finally {
    clearTimeout(timer);
  }
}

/** Aggregates Postgres, NATS, JetStream, crawl freshness and every service's instances into one verdict. */
@Injectable()
export class HealthDetailsService {
  constructor(
    private readonly probes: DependencyProbes,
    private readonly link: NatsLink,
    private readonly jetstream: JetStreamInspector,
    private readonly registry: InstanceRegistry,
    private readonly client: RpcClientProxy,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HEALTH_DETAILS_OPTIONS) private readonly options: HealthDetailsOptions,
  ) {}

  /** Marketplaces the crawler reported before, so they are still named (unknown) when it stops answering. */
  private knownMarketplaces: string[] = [];

  async details(): Promise<HealthDetails> {
    const { checkTimeoutMs } = this.options;
    const [postgres, nats] = await Promise.all([
      timed('postgres', checkTimeoutMs, async () => {
        await this.probes.pingPostgres();
        return { name: 'postgres', status: 'up', message: null };
      }),
      timed('nats', checkTimeoutMs, () => this.nats()),
    ]);
    const natsUp = nats.every((component) => component.status === 'up');
    let inspected: JetStreamState | undefined;
    const [marketplaces, jetstream] = natsUp
      ? await Promise.all([
          this.marketplaces(),
          timed('jetstream', checkTimeoutMs, async () => {
            inspected = await this.jetstream.inspect();
            return this.fromJetStream(inspected);
          }),
        ])
      : [this.unknownMarketplaces('not connected to NATS'), []];
    const now = this.clock.now().getTime();
    const services = this.options.expectedServices.map((service) => ({
      ...serviceComponent(service, this.registry.alive(service, now)),
      latencyMs: 0,
    }));
    const crawlerExpected = this.options.expectedServices.includes('crawler');
    const components = [
      ...postgres,
      ...nats,
      ...jetstream,
      ...(inspected ? this.crawlChecks(inspected, marketplaces, jetstream[0]?.latencyMs ?? 0) : []),
      ...(crawlerExpected ? marketplaces.components : []),
      ...services,
    ];
    return {
      status: overallStatus(components),
      timestamp: new Date(now).toISOString(),
      version,
      components,
      instances: this.registry.all(now).map(({ heartbeat, receivedAt }) => ({
        service: heartbeat.service,
        instanceId: heartbeat.instanceId,
        version: heartbeat.version,
        host: heartbeat.host,
        uptimeSeconds: heartbeat.uptimeSeconds,
        ready: heartbeat.ready,
        stopping: heartbeat.stopping,
        lastSeenMsAgo: now - receivedAt,
      })),
    };
  }

  private async nats(): Promise<Check> {
    if (!this.link.isConnected) {
      return { name: 'nats', status: 'down', message: 'not connected to NATS' };
    }
    const rtt = await this.link.connection.rtt();
    return { name: 'nats', status: 'up', message: `round trip ${rtt} ms` };
  }

  /** Asks the crawler for every marketplace's status; one component each, unknown when it does not answer. */
  private async marketplaces(): Promise<MarketplaceFacts> {
    if (!this.options.expectedServices.includes('crawler')) {
      return { components: [], keywordsOverdue: null, lastCompletedAt: null };
    }
    const started = performance.now();
    try {
      const answer = await lastValueFrom(
        this.client.send<CrawlerMarketplaceStatuses>(
          { subject: CRAWLER_MARKETPLACE_RPC.statuses, timeoutMs: this.options.checkTimeoutMs },
          {},
        ),
      );
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      this.knownMarketplaces = answer.items.map((item) => item.id);
      return {
        components: answer.items.map((item) => ({ ...marketplaceComponent(item), latencyMs })),
        keywordsOverdue: answer.items.reduce((sum, item) => sum + item.status.keywordsOverdue, 0),
        lastCompletedAt: answer.lastCompletedAt === null ? null : Date.parse(answer.lastCompletedAt),
      };
    } catch (error) {
      return this.unknownMarketplaces(error instanceof Error ? error.message : String(error));
    }
  }

  private unknownMarketplaces(reason: string): MarketplaceFacts {
    return {
      components: unknownMarketplaceComponents(this.knownMarketplaces, reason).map((c) => ({ ...c, latencyMs: 0 })),
      keywordsOverdue: null,
      lastCompletedAt: null,
    };
  }

  /** Crawl freshness and the scheduler, judged from the CRAWL stream and what the crawler said. */
  private crawlChecks(state: JetStreamState, marketplaces: MarketplaceFacts, latencyMs: number): HealthComponent[] {
    const now = this.clock.now().getTime();
    const intervalMs = this.options.crawlIntervalMinutes * 60_000;
    const crawlerReady = this.registry.alive('crawler', now).some((instance) => instance.heartbeat.ready);
    const checks = [
      crawlFreshness({
        // The crawler's runs say it best; the CRAWL stream covers a crawler that did not answer.
        lastCompletedAt: marketplaces.lastCompletedAt ?? state.lastCrawlCompletedAt,
        keywordsOverdue: marketplaces.keywordsOverdue,
        now,
        intervalMs,
      }),
      // The scheduler lives in the crawler: judged only where a crawler is expected to run.
      ...(this.options.expectedServices.includes('crawler')
        ? [schedulerComponent(crawlerReady, state.lastCrawlRequestedAt, now, intervalMs)]
        : []),
    ];
    return checks.map((check) => ({ ...check, latencyMs }));
  }

  private fromJetStream(state: JetStreamState): Check[] {
    const lagging = state.consumers.filter((consumer) => consumer.lag > this.options.lagThreshold);
    const maxLag = Math.max(0, ...state.consumers.map((consumer) => consumer.lag));
    return [
      state.missingStreams.length > 0
        ? { name: 'jetstream', status: 'down', message: `missing streams: ${state.missingStreams.join(', ')}` }
        : { name: 'jetstream', status: 'up', message: `${state.streams} streams, ${state.consumers.length} consumers` },
      lagging.length > 0
        ? {
            name: 'consumer-lag',
            status: 'degraded',
            message: `over ${this.options.lagThreshold} pending: ${lagging.map((c) => `${c.durable} (${c.lag})`).join(', ')}`,
          }
        : { name: 'consumer-lag', status: 'up', message: `largest lag ${maxLag}` },
      state.deadLetters > 0
        ? {
            name: 'dead-letters',
            status: 'degraded',
            message: `${state.deadLetters} parked messages, e.g. ${state.deadLetterSubjects.join(', ')}`,
          }
        : { name: 'dead-letters', status: 'up', message: 'none parked' },
    ];
  }
}
