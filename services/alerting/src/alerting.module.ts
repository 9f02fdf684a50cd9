import { DynamicModule, Module } from '@nestjs/common';
import { PurgeGuardModule } from '@shelfwatch/platform';
import { Logger } from 'pino';
import { AlertingConfig } from './alerting.config';
import { AlertEvaluator } from './alerts/alert-evaluator';
import { AlertWriter } from './alerts/alert-writer';
import { AlertsHandler } from './alerts/alerts.handler';
import { AlertsService } from './alerts/alerts.service';
import { AlertsStore } from './alerts/alerts.store';
import { EvaluationHandler } from './alerts/evaluation.handler';
import { ShelvesStore } from './alerts/shelves.store';
import { DeliveriesStore } from './deliveries/deliveries.store';
import { DELIVERY_LOOP_OPTIONS, DeliveryLoops } from './deliveries/delivery.loops';
import { DELIVERY_OPTIONS, DeliveryWorker } from './deliveries/delivery.worker';
import { AlertingRetentionHandler } from './retention/alerting-retention.handler';
import { RulesHandler } from './rules/rules.handler';
import { RulesService } from './rules/rules.service';
import { RulesStore } from './rules/rules.store';
import { SECRET_BOX, SecretBox } from './webhooks/secret-box';
import { URL_POLICY, UrlPolicy } from './webhooks/url-policy';
import { HOST_RESOLVER, HostResolver, systemResolver } from './webhooks/webhook-target';
import { WebhooksHandler } from './webhooks/webhooks.handler';
import { MAX_WEBHOOKS, WebhooksService } from './webhooks/webhooks.service';
import { WebhooksStore } from './webhooks/webhooks.store';

/** What tests may replace: the DNS resolver (private and rebinding names without a DNS server). */
export interface AlertingOverrides {
  resolver?: HostResolver;
}

/** Rules, alerts, webhooks, deliveries and retention of the alerting. */
@Module({})
export class AlertingModule {
  static forConfig(config: AlertingConfig, logger: Logger, overrides: AlertingOverrides = {}): DynamicModule {
    const policy: UrlPolicy = {
      requireHttps: config.nodeEnv === 'production',
      allowLoopback: config.webhookAllowLoopback,
      allowedPorts: config.webhookAllowedPorts,
    };
    return {
      module: AlertingModule,
      imports: [PurgeGuardModule.forService({ service: 'alerting', floorDays: config.retentionMinDays })],
      controllers: [EvaluationHandler, AlertsHandler, RulesHandler, WebhooksHandler, AlertingRetentionHandler],
      providers: [
        AlertsStore,
        ShelvesStore,
        RulesStore,
        WebhooksStore,
        DeliveriesStore,
        AlertWriter,
        AlertEvaluator,
        AlertsService,
        RulesService,
        WebhooksService,
        DeliveryWorker,
        DeliveryLoops,
        { provide: URL_POLICY, useValue: policy },
        { provide: MAX_WEBHOOKS, useValue: config.maxWebhooksPerTenant },
        { provide: HOST_RESOLVER, useValue: overrides.resolver ?? systemResolver },
        { provide: SECRET_BOX, useValue: new SecretBox(config.webhookSecretKey.value.reveal()) },
        {
          provide: DELIVERY_OPTIONS,
          useValue: {
            timeoutMs: config.webhookTimeoutMs,
            retry: {
              maxAttempts: config.webhookMaxAttempts,
              baseMs: config.webhookRetryBaseMs,
              maxMs: config.webhookRetryMaxMs,
            },
            leaseMs: config.webhookTimeoutMs * 2 + 10_000,
          },
        },
        {
          provide: DELIVERY_LOOP_OPTIONS,
          useValue: { workers: config.deliveryWorkers, pollMs: config.deliveryPollMs, logger },
        },
      ],
    };
  }
}
