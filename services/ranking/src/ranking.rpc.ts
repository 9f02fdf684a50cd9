import { RefusalFilter } from '@shelfwatch/messaging';
import { RankingError } from './ranking.errors';

/** Maps the ranking's {@link RankingError}s to their request/reply code: `@UseFilters(rankingRefusals)` on its controllers. */
export const rankingRefusals = new RefusalFilter((error) => (error instanceof RankingError ? error : undefined));
