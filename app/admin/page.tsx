import type { Metadata } from "next";
import Link from "next/link";
import { getAddress } from "viem";

import { RoleToggle } from "@/components/admin/role-toggle";
import { pageUser } from "@/lib/auth/page-guards";
import { decodeCursor, limitSchema } from "@/lib/pagination";
import { listUsers } from "@/lib/users/list";

export const metadata: Metadata = { title: "Admin" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function AdminPage({ searchParams }: { searchParams: Search }) {
  await pageUser("admin");
  const params = await searchParams;
  const q = one(params.q)?.slice(0, 100);
  const page = await listUsers({ q, cursor: decodeCursor(one(params.cursor)), limit: limitSchema.parse(one(params.limit) ?? undefined) });
  return (
    <>
      <h1>Admin</h1>
      <section aria-labelledby="users-title">
        <h2 id="users-title" className="section-title">
          Users
        </h2>
        <form role="search" className="toolbar" action="/admin">
          <label htmlFor="user-q">Search by address prefix or username</label>
          <input id="user-q" name="q" defaultValue={q ?? ""} placeholder="0x… or username" />
          <button type="submit" className="button button-secondary">
            Search
          </button>
        </form>
        <div className="table-wrap">
          <table className="table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Username</th>
                <th scope="col">Roles</th>
                <th scope="col">Reputation</th>
                <th scope="col">Joined</th>
                <th scope="col">Verifier</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((u) => (
                <tr key={u.id} data-address={u.address}>
                  <td className="mono">{getAddress(u.address)}</td>
                  <td>{u.username ?? "—"}</td>
                  <td>{u.roles.join(", ")}</td>
                  <td>{u.reputation.toFixed(1)}</td>
                  <td>{u.createdAt.toISOString().slice(0, 10)}</td>
                  <td>
                    <RoleToggle address={u.address} isVerifier={u.roles.includes("verifier")} />
                  </td>
                </tr>
              ))}
              {page.items.length === 0 ? (
                <tr>
                  <td colSpan={6}>No users match.</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        {page.nextCursor ? (
          <Link className="button button-secondary" href={`/admin?${new URLSearchParams({ ...(q ? { q } : {}), cursor: page.nextCursor })}`}>
            Next page
          </Link>
        ) : null}
      </section>
    </>
  );
}
