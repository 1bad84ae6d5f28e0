import { describe, expectTypeOf, it } from "vitest";
import type { z } from "zod";

import type { ContributionDetail } from "@/lib/contributions/queries";
import type { PublicProfile, PublicReward, RewardSummary, UserStats } from "@/lib/users/stats";
import type { RevealedVerification, SealedVerification } from "@/lib/verification/queries";

import type { contributionDetailSchema } from "@/lib/contributions/fields";
import type { profileSchema, revealedVerificationSchema, rewardSchema, rewardTotalsSchema, sealedVerificationSchema, statsSchema } from "./schemas";

// Checked by `tsc` (npm run typecheck): the documented answers and the types the queries return are
// the same, so a field added to a query's answer and not to its schema (or back) does not compile.
describe("API answer schemas", () => {
  it("match the types the queries return", () => {
    expectTypeOf<z.output<typeof contributionDetailSchema>>().toEqualTypeOf<ContributionDetail>();
    // The query types agent_type and roles as plain strings; the schemas name their values.
    expectTypeOf<z.output<typeof revealedVerificationSchema>>().toExtend<RevealedVerification>();
    expectTypeOf<keyof z.output<typeof revealedVerificationSchema>>().toEqualTypeOf<keyof RevealedVerification>();
    expectTypeOf<z.output<typeof sealedVerificationSchema>>().toEqualTypeOf<SealedVerification>();
    expectTypeOf<z.output<typeof profileSchema>>().toExtend<PublicProfile>();
    expectTypeOf<keyof z.output<typeof profileSchema>>().toEqualTypeOf<keyof PublicProfile>();
    expectTypeOf<z.output<typeof statsSchema>>().toEqualTypeOf<UserStats>();
    expectTypeOf<z.output<typeof rewardSchema>>().toEqualTypeOf<PublicReward>();
    expectTypeOf<z.output<typeof rewardTotalsSchema>>().toEqualTypeOf<RewardSummary["totals"]>();
  });
});
