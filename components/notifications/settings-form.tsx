"use client";

import { useState } from "react";

type Channels = { in_app: boolean; email: boolean };
type Email = { address: string; confirmed: boolean; confirmed_at: string | null } | null;

async function problem(res: Response): Promise<string> {
  try {
    const p = (await res.json()) as { detail?: string; title?: string };
    return p.detail ?? p.title ?? `Error ${res.status}`;
  } catch {
    return `Error ${res.status}`;
  }
}

/** The address (add, its confirmation state, remove) and one in-app and one e-mail switch per kind; each change is saved at once. */
export function NotificationSettings({
  kinds,
  initialPreferences,
  initialEmail,
  emailAvailable,
}: {
  kinds: { kind: string; label: string }[];
  initialPreferences: Record<string, Channels>;
  initialEmail: Email;
  emailAvailable: boolean;
}) {
  const [prefs, setPrefs] = useState(initialPreferences);
  const [email, setEmail] = useState<Email>(initialEmail);
  const [address, setAddress] = useState("");
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function toggle(kind: string, channel: keyof Channels, enabled: boolean) {
    setPrefs((p) => ({ ...p, [kind]: { ...p[kind]!, [channel]: enabled } }));
    const res = await fetch("/api/v1/me/notification-preferences", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ preferences: [{ kind, channel, enabled }] }),
    });
    if (res.ok) {
      setPrefs(((await res.json()) as { preferences: Record<string, Channels> }).preferences);
      setStatus({ ok: true, text: "Saved." });
    } else {
      setPrefs((p) => ({ ...p, [kind]: { ...p[kind]!, [channel]: !enabled } }));
      setStatus({ ok: false, text: await problem(res) });
    }
  }

  async function addAddress(e: React.FormEvent) {
    e.preventDefault();
    setPending(true);
    const res = await fetch("/api/v1/me/email", { method: "POST", headers: { "content-type": "application/json" }, credentials: "same-origin", body: JSON.stringify({ address }) });
    setPending(false);
    if (res.ok) {
      const added = (await res.json()) as NonNullable<Email>;
      setEmail(added);
      setAddress("");
      setStatus({ ok: true, text: added.confirmed ? "This address is confirmed already." : `We sent a confirmation link to ${added.address}. Open it to start e-mails.` });
    } else setStatus({ ok: false, text: await problem(res) });
  }

  async function removeAddress() {
    setPending(true);
    const res = await fetch("/api/v1/me/email", { method: "DELETE", credentials: "same-origin" });
    setPending(false);
    if (res.ok || res.status === 404) {
      setEmail(null);
      setStatus({ ok: true, text: "Address removed: no more e-mails." });
    } else setStatus({ ok: false, text: await problem(res) });
  }

  return (
    <>
      <section className="card form" aria-labelledby="email-title" data-testid="email-settings">
        <h2 id="email-title">E-mail</h2>
        {!emailAvailable ? <p className="muted">This server sends no e-mail. The bell in the header still shows every notification.</p> : null}
        {email ? (
          <p data-testid="email-state">
            <strong>{email.address}</strong> — {email.confirmed ? "confirmed" : "waiting for confirmation (open the link we sent)"}{" "}
            <button type="button" className="link-button" onClick={() => void removeAddress()} disabled={pending}>
              Remove
            </button>
          </p>
        ) : null}
        {emailAvailable ? (
          <form onSubmit={(e) => void addAddress(e)} className="row-fields">
            <div className="field">
              <label htmlFor="notify-email">{email ? "Use another address" : "Address"}</label>
              <input id="notify-email" type="email" required maxLength={254} autoComplete="email" value={address} onChange={(e) => setAddress(e.target.value)} />
            </div>
            <div className="field">
              <button type="submit" className="button button-primary" disabled={pending}>
                Send confirmation link
              </button>
            </div>
          </form>
        ) : null}
      </section>
      <section aria-labelledby="kinds-title">
        <h2 id="kinds-title" className="section-title">
          What you are told about
        </h2>
        <div className="table-wrap">
          <table className="table prefs-table" data-testid="preferences-table">
            <thead>
              <tr>
                <th scope="col">Notification</th>
                <th scope="col">In the app</th>
                <th scope="col">By e-mail</th>
              </tr>
            </thead>
            <tbody>
              {kinds.map(({ kind, label }) => (
                <tr key={kind}>
                  <td>{label}</td>
                  <td>
                    <input type="checkbox" aria-label={`${label}: in the app`} checked={prefs[kind]?.in_app ?? true} onChange={(e) => void toggle(kind, "in_app", e.target.checked)} />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${label}: by e-mail`}
                      checked={email?.confirmed ? (prefs[kind]?.email ?? true) : false}
                      disabled={!email?.confirmed}
                      title={email?.confirmed ? undefined : "Add and confirm an address first"}
                      onChange={(e) => void toggle(kind, "email", e.target.checked)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {status ? (
        <p role={status.ok ? "status" : "alert"} className={status.ok ? "muted" : "error-text"}>
          {status.text}
        </p>
      ) : null}
    </>
  );
}
