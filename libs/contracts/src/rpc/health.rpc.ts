/** Request/reply contracts of the health service: the platform's verdict, for the gateway's `GET /health`. */
export const HEALTH_RPC = {
  /** Answers {@link HealthSummary}; takes no payload. */
  summary: 'health.summary.get',
} as const;

/** The platform's verdict without its details (the gateway shows it to anyone, e.g. the dashboard's banner). */
export interface HealthSummary {
  status: 'healthy' | 'degraded' | 'unhealthy';
  /** When the health service computed it (ISO 8601). */
  timestamp: string;
}
