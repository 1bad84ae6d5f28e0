import type { Plan } from "@/db/schema";
import { PLANS } from "@/lib/payments/plans";

/** Above the plans: the visitor's own plan (as Billing shows it), and whether plans can be bought here. */
export function PlanNote({ plan, paymentsEnabled }: { plan: Plan | null; paymentsEnabled: boolean }) {
  return (
    <p className="card" role="note" data-testid="plan-note">
      {plan ? (
        <>
          You are on the <strong data-testid="pricing-current-plan">{PLANS[plan].name}</strong> plan.{" "}
        </>
      ) : null}
      {paymentsEnabled
        ? plan
          ? "Choose another plan below, or manage yours in Billing."
          : "Connect your wallet to subscribe."
        : "Plans cannot be bought on this server yet: they are shown for reference."}
    </p>
  );
}
