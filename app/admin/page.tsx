import type { Metadata } from "next";

import { ApiRewardsSection } from "@/components/admin/api-rewards-section";
import { AppealsSection } from "@/components/admin/appeals-section";
import { CalibrationSection } from "@/components/admin/calibration-section";
import { ConflictsSection } from "@/components/admin/conflicts-section";
import { ExportsSection } from "@/components/admin/exports-section";
import { ModerationSection } from "@/components/admin/moderation-section";
import { PayoutsSection } from "@/components/admin/payouts-section";
import { PeopleSection } from "@/components/admin/people-section";
import { RevenueSection } from "@/components/admin/revenue-section";
import { RevenueShareSection } from "@/components/admin/revenue-share-section";
import { SetupChecklist } from "@/components/admin/setup-checklist";
import { UnappliedStripeEvents } from "@/components/admin/stripe-events";
import { UsersSection } from "@/components/admin/users-section";
import { VerificationSection } from "@/components/admin/verification-section";
import { setupChecklist } from "@/lib/admin/setup";
import { apiMetrics, heldContributions, rewardMetrics, revenue, userMetrics, verificationMetrics } from "@/lib/admin/metrics";
import { pageUser } from "@/lib/auth/page-guards";
import { recentExports } from "@/lib/exports/audit";
import { firstParam, pageCursor, type SearchParams } from "@/lib/http/search-params";
import { limitSchema } from "@/lib/pagination";
import { listPayoutBatches } from "@/lib/rewards/payout";
import { payoutConfig } from "@/lib/rewards/payout-config";
import { revenueShareMonths } from "@/lib/revenue/overview";
import { countUsers, listUsers } from "@/lib/users/list";
import { getEnv } from "@/lib/config/env";
import { openAppeals } from "@/lib/verification/appeals";
import { calibrationItemList, calibrationRecords } from "@/lib/verification/calibration";
import { flaggedPairs, ringsOf } from "@/lib/verification/conflicts";
import { withPageReads } from "@/lib/http/read-floor";

export const metadata: Metadata = { title: "Admin", description: "NWU Protocol administration: revenue, people, verification, moderation, payouts, exports and users." };

export default async function AdminPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await pageUser("admin");
  const params = await searchParams;
  const q = firstParam(params.q)?.slice(0, 100);
  const limit = limitSchema.catch(50).parse(firstParam(params.limit));
  const payouts = payoutConfig();
  const { APPEAL_QUORUM, CALIBRATION_FLOOR, CALIBRATION_VOTES, REVENUE_SHARE_PERCENT } = getEnv();
  const [page, money, people, verification, api, rewards, held, batches, pairs, appeals, calibrationItems, calibration, userTotal, exports, share] = await withPageReads(() => Promise.all([
    listUsers({ q, cursor: pageCursor(params, "cursor", true), limit }),
    revenue(),
    userMetrics(),
    verificationMetrics(),
    apiMetrics(),
    rewardMetrics(),
    heldContributions(),
    listPayoutBatches({ cursor: pageCursor(params, "batch_cursor", true), limit: 20 }),
    flaggedPairs(),
    openAppeals(),
    calibrationItemList(),
    calibrationRecords(),
    countUsers(q),
    recentExports(10),
    revenueShareMonths(),
  ]));
  return (
    <>
      <h1>Admin</h1>
      <SetupChecklist items={setupChecklist()} />
      <RevenueSection money={money} />
      <RevenueShareSection months={share.months} next={share.next} current={share.current} percent={REVENUE_SHARE_PERCENT} />
      <UnappliedStripeEvents cursor={firstParam(params.stripe_events_cursor)} />
      <PeopleSection people={people} />
      <VerificationSection verification={verification} />
      <AppealsSection appeals={appeals} quorum={APPEAL_QUORUM} />
      <CalibrationSection items={calibrationItems} records={calibration} floor={CALIBRATION_FLOOR} votesWanted={CALIBRATION_VOTES} />
      <ConflictsSection pairs={pairs} rings={ringsOf(pairs)} />
      <ModerationSection held={held} />
      <ApiRewardsSection api={api} rewards={rewards} />
      <PayoutsSection payouts={payouts} pendingRewards={rewards.pending} batches={batches} />
      <ExportsSection recent={exports} />
      <UsersSection q={q} limit={params.limit ? String(limit) : undefined} page={page} total={userTotal} />
    </>
  );
}
