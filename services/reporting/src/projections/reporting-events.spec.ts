import { AnyEvent } from '@shelfwatch/contracts';
import { reportingOrderingKey } from './reporting-events';

const keywordId = '00000000-0000-4000-8000-0000000000aa';
const tenantId = '00000000-0000-4000-8000-000000000001';

/** The fields the key reads: the type, the tenant and the keyword of the data. */
const event = (type: string): AnyEvent => ({ type, tenantId, data: { keywordId } }) as unknown as AnyEvent;

describe('reportingOrderingKey', () => {
  it("puts a crawl's stages and its recorded ranking in their keyword's lane", () => {
    const types = ['crawl.requested', 'crawl.started', 'crawl.completed', 'crawl.failed', 'ranking.recorded'];
    expect(new Set(types.map((type) => reportingOrderingKey(event(type))))).toEqual(new Set([`keyword:${keywordId}`]));
  });

  it('keeps tracking and alert events in one lane, even those about a keyword', () => {
    const types = ['tracking.keyword.added', 'tracking.product.removed', 'alert.raised', 'alert.resolved'];
    expect(types.map((type) => reportingOrderingKey(event(type)))).toEqual(['', '', '', '']);
  });
});
