/** The contribution's API vocabulary lives in ./fields (one table); this module names it for its callers. */
export { contributionColumns, toPublicContribution, type ContributionRow, type PublicContribution } from "./fields";

/** "33.920000000000000000" → "33.92": the exact decimal, without trailing zeros. */
export function trimAmount(amount: string): string {
  return amount.includes(".") ? amount.replace(/0+$/, "").replace(/\.$/, "") : amount;
}
