import { binomialAcceptanceBand } from './binomial-band';

describe('binomialAcceptanceBand', () => {
  it('keeps 400 draws at 10 % within the counts a correct sampler leaves but once in a million runs', () => {
    // Binomial(400, 0.1): P(X <= 13) ≈ 2.4e-7 and P(X >= 73) ≈ 3.8e-7, each below half of 1e-6;
    // P(X <= 14) ≈ 7.8e-7 and P(X >= 72) ≈ 7.8e-7 are not, so 14 and 72 are inside.
    expect(binomialAcceptanceBand(400, 0.1, 1e-6)).toEqual([14, 72]);
  });

  it('narrows as the false-alarm rate it tolerates grows', () => {
    expect(binomialAcceptanceBand(400, 0.1, 0.05)).toEqual([29, 52]);
  });
});
