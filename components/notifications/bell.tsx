"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";

import { useDismiss } from "@/components/use-dismiss";

import { NotificationItem, type InboxItem } from "./notification-item";


const shownCount = (n: number) => (n > 99 ? "99+" : String(n));

/**
 * The header's bell (signed in only): the unread count, live from /api/v1/me/events (the browser's
 * EventSource reconnects by itself), opening the latest notifications with links to what they are
 * about. Small on purpose: no wallet code, one stream, one list fetch when opened.
 */
export function NotificationBell() {
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    try {
      const res = await fetch("/api/v1/me/notifications?limit=20", { cache: "no-store", credentials: "same-origin" });
      if (!res.ok) throw new Error(String(res.status));
      const page = (await res.json()) as { unread: number; items: InboxItem[] };
      setItems(page.items);
      setUnread(page.unread);
      setError(null);
    } catch {
      setError("Could not load your notifications.");
    }
  }, []);

  useEffect(() => {
    const source = new EventSource("/api/v1/me/events");
    const onEvent = (e: MessageEvent<string>) => {
      const data = JSON.parse(e.data) as { unread: number; notification: InboxItem | null };
      setUnread(data.unread);
      if (data.notification) setItems((list) => (list ? [data.notification!, ...list.filter((i) => i.id !== data.notification!.id)].slice(0, 20) : list));
    };
    source.addEventListener("notification", onEvent);
    return () => {
      source.removeEventListener("notification", onEvent);
      source.close();
    };
  }, []);

  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, ref, close);

  const markRead = useCallback(async (body: { ids: string[] } | { all: true }) => {
    const res = await fetch("/api/v1/me/notifications/read", { method: "POST", headers: { "content-type": "application/json" }, credentials: "same-origin", body: JSON.stringify(body) });
    if (!res.ok) return;
    const { unread: left } = (await res.json()) as { unread: number };
    setUnread(left);
    const now = new Date().toISOString();
    setItems((list) => list?.map((i) => ("all" in body || body.ids.includes(i.id) ? { ...i, read_at: i.read_at ?? now } : i)) ?? list);
  }, []);

  return (
    <div className="bell" ref={ref}>
      <button
        type="button"
        className="button button-secondary bell-button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}
        onClick={() => {
          if (!open) void load();
          setOpen(!open);
        }}
        data-testid="notification-bell"
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.73 21a2 2 0 0 1-3.46 0" />
        </svg>
        {unread ? (
          <span className="bell-count" data-testid="notification-count">
            {shownCount(unread)}
          </span>
        ) : null}
      </button>
      {open ? (
        <div className="bell-panel" role="dialog" aria-label="Notifications" data-testid="notification-panel">
          <div className="bell-head">
            <strong>Notifications</strong>
            {unread ? (
              <button type="button" className="link-button" onClick={() => void markRead({ all: true })}>
                Mark all read
              </button>
            ) : null}
          </div>
          {error ? <p className="muted">{error}</p> : null}
          {items === null && !error ? <p className="muted">Loading…</p> : null}
          {items?.length === 0 ? <p className="muted">Nothing yet. Decisions on your contributions, appeals and rewards show here.</p> : null}
          {items?.length ? (
            <ul className="bell-list">
              {items.map((n) => (
                <NotificationItem
                  key={n.id}
                  n={n}
                  onOpen={() => {
                    setOpen(false);
                    if (!n.read_at) void markRead({ ids: [n.id] });
                  }}
                />
              ))}
            </ul>
          ) : null}
          <div className="bell-foot">
            <Link href="/notifications" onClick={() => setOpen(false)}>
              All notifications
            </Link>
            <Link href="/settings/notifications" onClick={() => setOpen(false)}>
              Settings
            </Link>
          </div>
        </div>
      ) : null}
    </div>
  );
}
