import { h, replace } from './dom';

const POLL_MS = 60_000;

interface PlatformHealth {
  status: 'healthy' | 'degraded' | 'unhealthy';
}

const MESSAGES = {
  degraded: { title: 'Some parts of ShelfWatch are degraded. ', text: 'Rankings may update late; your data is safe.' },
  unhealthy: { title: 'ShelfWatch is having problems. ', text: 'Crawls and alerts may be delayed until it recovers.' },
} as const;

function isHealth(value: unknown): value is PlatformHealth {
  return (
    typeof value === 'object' &&
    value !== null &&
    'status' in value &&
    (value.status === 'healthy' || value.status === 'degraded' || value.status === 'unhealthy')
  );
}

/** The platform's health verdict from `GET /health` (same origin); null when it cannot be known. */
async function readHealth(): Promise<PlatformHealth['status'] | null> {
  try {
    const response = await fetch('/health', { headers: { accept: 'application/json' } });
    const body: unknown = await response.json();
    return isHealth(body) ? body.status : null;
  } catch {
    return null;
  }
}

/**
 * Shows a banner while the platform reports itself degraded or unhealthy. When `/health` is not reachable from
 * this origin (or answers something else), it shows nothing: no verdict is invented.
 */
export function startHealthBanner(region: HTMLElement): () => void {
  const check = async (): Promise<void> => {
    const status = await readHealth();
    const message = status === null || status === 'healthy' ? null : MESSAGES[status];
    region.hidden = message === null;
    region.className = message === null ? '' : `health-banner ${status}`;
    replace(region, ...(message === null ? [] : [h('strong', {}, message.title), message.text]));
  };
  void check();
  const timer = window.setInterval(() => void check(), POLL_MS);
  return () => window.clearInterval(timer);
}
