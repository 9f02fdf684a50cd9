import { DemoError, DemoTarget, ensureDemoTenant, reportFirstRankings } from './demo';

/** How long the launcher waits for the demo's first crawls before it stops watching. */
const FIRST_CRAWL_TIMEOUT_MS = 120_000;

/**
 * The demo step of `npm start`: creates (or reuses) the demo tenant, prints its API key and what to try,
 * then waits for its first crawls and prints where the demo products rank. Never stops the platform: a
 * failure is printed with what to do.
 */
export async function runDemo(target: DemoTarget): Promise<void> {
  try {
    const { state, created } = await ensureDemoTenant(target);
    const keywordIds = state.products.flatMap((product) => product.keywords.map((keyword) => keyword.id));
    const lines = [
      `demo: ${created ? 'created' : 'reusing'} the demo tenant ${state.tenantId} (kept in ${target.stateFile})`,
      `demo: its API key: ${state.apiKey}`,
      `demo: try  curl -H "Authorization: Bearer ${state.apiKey}" ${target.gatewayUrl}/v1/products`,
      `demo:      curl -H "Authorization: Bearer ${state.apiKey}" ${target.gatewayUrl}/v1/keywords/${keywordIds[0] ?? '<id>'}/rankings/latest`,
    ];
    lines.forEach((line) => target.print(line));
    if (!created) {
      return;
    }
    target.print(`demo: first crawls of ${keywordIds.length} keywords requested; waiting for their rankings`);
    if (!(await reportFirstRankings(target, state, FIRST_CRAWL_TIMEOUT_MS))) {
      target.print(
        `demo: no rankings after ${FIRST_CRAWL_TIMEOUT_MS / 1000} s; see the crawler and ranking lines above`,
      );
    }
  } catch (error) {
    const reason = error instanceof DemoError || error instanceof Error ? error.message : String(error);
    target.print(`demo: skipped: ${reason}`);
  }
}
