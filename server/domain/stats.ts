/** Order statistics shared by the analytics of both servers and the benchmarks (pure). */

/**
 * The p-th percentile (p in 0..100) of `values` (any order; not modified), by linear interpolation
 * between closest ranks: with the values sorted ascending as x[0..n−1] and r = p/100 × (n − 1),
 * x[⌊r⌋] + (x[⌈r⌉] − x[⌊r⌋]) × (r − ⌊r⌋). This is NumPy's default `method='linear'` (Hyndman & Fan 1996,
 * definition 7; also R's and Excel's PERCENTILE.INC). NaN for an empty list.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  return sorted[lo]! + (sorted[Math.ceil(rank)]! - sorted[lo]!) * (rank - lo);
}
