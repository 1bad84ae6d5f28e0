import type { Metadata } from "next";

import { NotificationSettings } from "@/components/notifications/settings-form";
import { pageUser } from "@/lib/auth/page-guards";
import { getEnv } from "@/lib/config/env";
import { getEmail } from "@/lib/notifications/addresses";
import { KIND_LABELS, NOTIFICATION_KINDS } from "@/lib/notifications/kinds";
import { getPreferences } from "@/lib/notifications/preferences";

export const metadata: Metadata = { title: "Notifications", description: "What NWU Protocol tells you about, in the app and by e-mail." };

export default async function NotificationSettingsPage() {
  const user = await pageUser();
  const [preferences, email] = await Promise.all([getPreferences(user.userId), getEmail(user.userId)]);
  return (
    <>
      <h1>Notifications</h1>
      <p>
        The bell in the header shows what happened to your work. E-mail is optional: add an address, confirm it from the mail we send, and choose which
        notifications also come by e-mail. Every mail has a one-click unsubscribe link.
      </p>
      <NotificationSettings
        kinds={NOTIFICATION_KINDS.map((k) => ({ kind: k, label: KIND_LABELS[k] }))}
        initialPreferences={preferences}
        initialEmail={email}
        emailAvailable={!!getEnv().SMTP_URL}
      />
    </>
  );
}
