// The disclosure rules of the weekly digest (DESIGN.md, "Privacy model"): no figure for fewer than K
// respondents, no hidden group recoverable by subtraction from the shown ones (complementary
// suppression), and no answer recoverable by subtracting last week's figures from this week's.
// Each rule is a small pure function, so that it can be tested (and audited) on its own.
import { effectiveK } from '../domain/vocabulary';

/** True when a group of `n` respondents is too small for any figure of it to be shown. */
export function hidden(n: number, kMin: number): boolean {
  return n < effectiveK(kMin);
}

/**
 * Which groups of a breakdown (e.g. districts) must be hidden, given each group's count and the
 * shown total. Every group below K is hidden; then, because `total − Σ shown groups` is the
 * combined size of everything not shown (hidden groups plus respondents who belong to no group),
 * further groups are hidden, smallest first, until that remainder is either 0 (nothing with
 * answers is hidden) or at least K — or every group is hidden. "Exactly one group hidden" is the
 * classic case of this rule: its count would equal the remainder.
 *
 * The returned set must be applied to every figure of the breakdown (counts and means alike): a
 * mean of the remainder is derivable from the overall mean and the shown groups' means and counts,
 * and the remainder always has at least K respondents (or none).
 *
 * `alreadyHidden` lets a caller start from groups hidden for another reason (another column of the
 * same table); the result always contains them.
 */
export function suppressBreakdown(
  counts: Record<string, number>,
  total: number,
  kMin: number,
  alreadyHidden: Iterable<string> = [],
): Set<string> {
  const k = effectiveK(kMin);
  const keys = Object.keys(counts);
  const result = new Set<string>([...alreadyHidden].filter((key) => key in counts));
  for (const key of keys) if (counts[key]! < k) result.add(key);

  const remainder = () =>
    total - keys.filter((key) => !result.has(key)).reduce((a, key) => a + counts[key]!, 0);
  // Smallest shown group first; the key breaks ties, so that the result never depends on input order.
  const byCount = (a: string, b: string) => counts[a]! - counts[b]! || (a < b ? -1 : a > b ? 1 : 0);
  let rest = remainder();
  while (rest > 0 && rest < k) {
    const next = keys.filter((key) => !result.has(key)).sort(byCount)[0];
    if (next === undefined) break;
    result.add(next);
    rest = remainder();
  }
  return result;
}

/**
 * Whether a run's figures may be published again. The first publication needs K respondents; every
 * later one needs the count to have moved by at least K since the figures last published for that
 * run, so that this week's figures minus last week's describe at least K people, never one.
 * (Answers may be changed until a run closes, so an unchanged count is no exception: no new figures.)
 */
export function mayPublishOpenRun(
  respondents: number,
  lastPublishedRespondents: number | undefined,
  kMin: number,
): boolean {
  const k = effectiveK(kMin);
  if (respondents < k) return false;
  if (lastPublishedRespondents === undefined || lastPublishedRespondents <= 0) return true;
  return Math.abs(respondents - lastPublishedRespondents) >= k;
}
