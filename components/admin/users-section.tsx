
import { RoleToggle } from "@/components/admin/role-toggle";
import { ColumnHeads } from "@/components/column-heads";
import { PageLinks } from "@/components/next-page-link";
import { TitledSection } from "@/components/titled-section";
import { checksum } from "@/lib/checksum";
import { shortHash } from "@/lib/format";
import { formatTotal, type Page } from "@/lib/pagination";
import type { UserRow } from "@/lib/users/list";
import { TableWrap } from "@/components/table-wrap";

/** The user search (`q`, any part of an address or username), one page of its results and their total. */
export function UsersSection({ q, limit, page, total }: { q?: string; limit?: string; page: Page<UserRow>; total: number }) {
  const at = (cursor: string | null | undefined) => (cursor ? `/admin?${new URLSearchParams({ ...(q ? { q } : {}), ...(limit ? { limit } : {}), cursor })}#users-title` : null);
  return (
    <TitledSection id="users-title" title="Users">
      <form role="search" className="toolbar" action="/admin">
        <label htmlFor="user-q">Search by address or username</label>
        <input id="user-q" name="q" defaultValue={q ?? ""} placeholder="0x… or username" />
        <button type="submit" className="button button-secondary">
          Search
        </button>
      </form>
      <UsersTable users={page.items} />
      <PageLinks label="Users pages" total={formatTotal(total, "user")} prev={at(page.prevCursor)} next={at(page.nextCursor)} />
    </TitledSection>
  );
}

function UsersTable({ users }: { users: UserRow[] }) {
  return (
    <TableWrap label="User accounts">
      <table className="table" data-testid="users-table">
        <ColumnHeads names={["Address", "Username", "Roles", "Reputation", "Joined", "Role changes"]} />
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-address={u.address}>
              <td className="mono" title={checksum(u.address)}>
                {shortHash(checksum(u.address), 8, 6)}
              </td>
              <td>{u.username ?? "—"}</td>
              <td className="wrap">{u.roles.join(", ")}</td>
              <td>{u.reputation.toFixed(1)}</td>
              <td>{u.createdAt.toISOString().slice(0, 10)}</td>
              <td>
                <span className="role-actions">
                  <RoleToggle address={u.address} role="verifier" holds={u.roles.includes("verifier")} />
                  <RoleToggle address={u.address} role="agent" holds={u.roles.includes("agent")} />
                </span>
              </td>
            </tr>
          ))}
          {users.length === 0 ? (
            <tr>
              <td colSpan={6}>No users match.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </TableWrap>
  );
}
