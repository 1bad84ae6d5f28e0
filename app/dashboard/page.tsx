import type { Metadata } from "next";
import { getAddress } from "viem";

import { pageUser } from "@/lib/auth/page-guards";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await pageUser();
  return (
    <>
      <h1>Dashboard</h1>
      <div className="grid">
        <section className="card" aria-labelledby="account-title">
          <h2 id="account-title">Account</h2>
          <p className="mono" data-testid="dashboard-address">
            {getAddress(user.address)}
          </p>
          <p>
            Roles:{" "}
            {user.roles.map((r) => (
              <span key={r} className="badge">
                {r}
              </span>
            ))}
          </p>
          <p>Signed in on chain {user.chainId}</p>
        </section>
      </div>
    </>
  );
}
