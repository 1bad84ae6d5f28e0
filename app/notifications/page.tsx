import type { Metadata } from "next";
import Link from "next/link";

import { NextPageLink } from "@/components/next-page-link";
import { MarkAllRead } from "@/components/notifications/mark-all-read";
import { NotificationItem } from "@/components/notifications/notification-item";
import { pageUser } from "@/lib/auth/page-guards";
import { firstParam, pageCursor, type SearchParams } from "@/lib/http/search-params";
import { UNREAD_CAP, listNotifications } from "@/lib/notifications/inbox";

export const metadata: Metadata = { title: "Notifications", description: "Everything NWU Protocol told you about: decisions, appeals, rewards, endpoints." };

const PAGE = 25;

type Props = { searchParams: Promise<SearchParams> };

/** The whole inbox, newest first, a page at a time (the bell shows the latest 20); optionally unread only. */
export default async function NotificationsPage({ searchParams }: Props) {
  const user = await pageUser();
  const query = await searchParams;
  const unreadOnly = firstParam(query.unread) === "1";
  const cursor = pageCursor(query);
  const inbox = await listNotifications(user.userId, { unread: unreadOnly, cursor, limit: PAGE });
  const here = (extra: Record<string, string>) => `/notifications?${new URLSearchParams({ ...(unreadOnly ? { unread: "1" } : {}), ...extra })}`;
  return (
    <>
      <h1>Notifications</h1>
      <div className="toolbar">
        <nav aria-label="Show" className="toolbar inbox-tabs">
          <Link href="/notifications" aria-current={unreadOnly ? undefined : "page"} className="button button-secondary">
            All
          </Link>
          <Link href="/notifications?unread=1" aria-current={unreadOnly ? "page" : undefined} className="button button-secondary">
            Unread ({inbox.unread >= UNREAD_CAP ? `${UNREAD_CAP - 1}+` : inbox.unread})
          </Link>
        </nav>
        {inbox.unread ? <MarkAllRead /> : null}
        <Link href="/settings/notifications">Settings</Link>
      </div>
      {inbox.items.length === 0 ? (
        <p className="card">{unreadOnly ? "Nothing unread." : "Nothing yet. Decisions on your contributions, appeals and rewards show here."}</p>
      ) : (
        <ul className="bell-list inbox-list card" data-testid="inbox-list">
          {inbox.items.map((n) => (
            <NotificationItem key={n.id} n={n} />
          ))}
        </ul>
      )}
      <NextPageLink href={inbox.nextCursor ? here({ cursor: inbox.nextCursor }) : null}>Older notifications</NextPageLink>
    </>
  );
}
