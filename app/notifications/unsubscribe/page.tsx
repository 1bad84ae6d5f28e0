import type { Metadata } from "next";

import { unsubscribeTarget } from "@/lib/notifications/addresses";
import { KIND_LABELS } from "@/lib/notifications/kinds";

export const metadata: Metadata = { title: "Unsubscribe", robots: { index: false } };

type Props = { searchParams: Promise<{ token?: string; kind?: string; done?: string }> };

/**
 * A mail's unsubscribe link, for people: says which e-mails the link stops and to which address,
 * with one button (the same POST a mail client's one-click sends); after it, what was switched off.
 */
export default async function UnsubscribePage({ searchParams }: Props) {
  const { token, kind, done } = await searchParams;
  const target = token ? await unsubscribeTarget(token, kind ?? null) : null;
  const what = target ? (target.kinds.length === 1 ? `“${KIND_LABELS[target.kinds[0]!]}”` : "every notification") : "";
  return (
    <>
      <h1>Unsubscribe</h1>
      {!target ? (
        <p className="card" role="alert" data-testid="unsubscribe-result">
          This unsubscribe link is not valid (the address may have been removed). Signed in, you can change every e-mail in{" "}
          <a href="/settings/notifications">your notification settings</a>.
        </p>
      ) : done === "1" ? (
        <p className="card" role="status" data-testid="unsubscribe-result">
          Unsubscribed: <strong>{target.address}</strong> gets no more e-mails about {what}. The bell in the app still shows them; switch e-mails back on in{" "}
          <a href="/settings/notifications">your notification settings</a>.
        </p>
      ) : (
        <form method="post" action={`/api/notifications/unsubscribe`} className="card form">
          <p>
            Stop e-mails about {what} to <strong>{target.address}</strong>?
          </p>
          <input type="hidden" name="token" value={token} />
          {kind ? <input type="hidden" name="kind" value={kind} /> : null}
          <input type="hidden" name="from" value="page" />
          <button type="submit" className="button button-primary" data-testid="unsubscribe">
            Unsubscribe
          </button>
        </form>
      )}
    </>
  );
}
