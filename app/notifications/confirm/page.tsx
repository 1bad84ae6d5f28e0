import type { Metadata } from "next";

export const metadata: Metadata = { title: "Confirm your e-mail address", robots: { index: false } };

type Props = { searchParams: Promise<{ token?: string; result?: string }> };

/**
 * The confirmation mail's link: a button posting the token (a GET confirms nothing, so that mail
 * scanners opening links do not confirm an address for its owner), then the outcome.
 */
export default async function ConfirmEmailPage({ searchParams }: Props) {
  const { token, result } = await searchParams;
  return (
    <>
      <h1>Confirm your e-mail address</h1>
      {result === "confirmed" ? (
        <p className="card" role="status" data-testid="confirm-result">
          Confirmed. Notifications you chose will come by e-mail too; change them in <a href="/settings/notifications">your notification settings</a>.
        </p>
      ) : result === "invalid" ? (
        <p className="card" role="alert" data-testid="confirm-result">
          This link is not valid any more (it was used already, or a newer one was sent). Add the address again in <a href="/settings/notifications">your notification settings</a>.
        </p>
      ) : token ? (
        <form method="post" action="/api/notifications/confirm" className="card form">
          <p>Confirm that this address may receive NWU Protocol notifications.</p>
          <input type="hidden" name="token" value={token} />
          <input type="hidden" name="from" value="page" />
          <button type="submit" className="button button-primary" data-testid="confirm-email">
            Confirm address
          </button>
        </form>
      ) : (
        <p className="card">Open the link from the confirmation mail.</p>
      )}
    </>
  );
}
