import { ALERTING_RPC } from './rpc/alerting.rpc';
import { CRAWLER_RPC } from './rpc/crawler.rpc';
import { HEALTH_RPC } from './rpc/health.rpc';
import { CRAWLER_MARKETPLACE_RPC } from './rpc/marketplace.rpc';
import { RANKING_RPC } from './rpc/ranking.rpc';
import { REPORTING_RPC } from './rpc/reporting.rpc';
import { RETENTION_RPC } from './rpc/retention.rpc';
import { RPC_ERROR_CODES, isRpcSubject, rpcErrorCodeOf, rpcRegistry, rpcSubjects } from './rpc-registry';

/** Every subject the `*.rpc.ts` contracts declare. */
const declared = [
  ALERTING_RPC,
  CRAWLER_RPC,
  CRAWLER_MARKETPLACE_RPC,
  HEALTH_RPC,
  RANKING_RPC,
  REPORTING_RPC,
  RETENTION_RPC,
].flatMap((subjects) => Object.values(subjects));

describe('the rpc registry', () => {
  it('has exactly one entry per subject the contracts declare', () => {
    expect([...rpcSubjects].sort()).toEqual([...new Set(declared)].sort());
  });

  it('gives every subject the codes of the request/reply layer and only known codes, each once', () => {
    for (const subject of rpcSubjects) {
      const { errors } = rpcRegistry[subject];
      expect({ subject, layer: errors.slice(0, 3) }).toEqual({
        subject,
        layer: ['invalid', 'answer_too_large', 'internal'],
      });
      expect(new Set(errors).size).toBe(errors.length);
      expect(RPC_ERROR_CODES).toEqual(expect.arrayContaining([...errors]));
    }
  });

  it("tells a refusal's code only when the subject may answer it", () => {
    const refusal = (code: string) => Object.assign(new Error('refused'), { code });
    expect(rpcErrorCodeOf(CRAWLER_RPC.crawlRequest, refusal('already_running'))).toBe('already_running');
    expect(rpcErrorCodeOf(RANKING_RPC.productGet, refusal('already_running'))).toBeUndefined();
    expect(rpcErrorCodeOf(RANKING_RPC.productGet, refusal('not_found'))).toBe('not_found');
    expect(rpcErrorCodeOf(RANKING_RPC.productGet, new Error('no code'))).toBeUndefined();
  });

  it('knows its subjects and nothing else', () => {
    expect(isRpcSubject('ranking.product.list')).toBe(true);
    expect(isRpcSubject('ranking.dead-letters.replay')).toBe(false);
    expect(isRpcSubject('toString')).toBe(false);
  });
});
