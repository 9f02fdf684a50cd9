/**
 * The narrowest count band `[low, high]` around `n·p` that a Binomial(`n`, `p`) count falls outside of with a
 * probability below `falseAlarm` (the two tails share it equally): a statistical check that fails a correct
 * implementation less often than once in `1 / falseAlarm` runs.
 */
export function binomialAcceptanceBand(n: number, p: number, falseAlarm: number): [number, number] {
  const pmf = Array.from({ length: n + 1 }, (_, k) =>
    Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p)),
  );
  const tail = falseAlarm / 2;
  let low = 0;
  for (let below = 0; below + (pmf[low] ?? 0) < tail; low++) {
    below += pmf[low] ?? 0;
  }
  let high = n;
  for (let above = 0; above + (pmf[high] ?? 0) < tail; high--) {
    above += pmf[high] ?? 0;
  }
  return [low, high];
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

function logFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i++) {
    sum += Math.log(i);
  }
  return sum;
}
