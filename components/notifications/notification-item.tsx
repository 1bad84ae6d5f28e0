import Link from "next/link";

type Reason = { score: number; by: string; reasoning: string };
export type InboxItem = { id: string; kind: string; title: string; body: string; link: string | null; reasons: Reason[]; read_at: string | null; created_at: string };

/**
 * One notification as the bell and the inbox page show it: its title (a link to what it is about),
 * its text, a decision's reasons, and when. `onOpen` runs when its link is followed (the bell's).
 */
export function NotificationItem({ n, onOpen }: { n: InboxItem; onOpen?: () => void }) {
  return (
    <li data-unread={n.read_at ? undefined : "true"} data-testid="notification-item">
      {n.link ? (
        <Link href={n.link} onClick={onOpen}>
          {n.title}
        </Link>
      ) : (
        <span>{n.title}</span>
      )}
      <p>{n.body}</p>
      {n.reasons.length ? (
        <ul className="bell-reasons">
          {n.reasons.map((r, i) => (
            <li key={i}>
              <strong>{r.score}</strong> · {r.by} — {r.reasoning}
            </li>
          ))}
        </ul>
      ) : null}
      <time dateTime={n.created_at}>{new Date(n.created_at).toLocaleString()}</time>
    </li>
  );
}
