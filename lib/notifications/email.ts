import "server-only";

import { and, eq, isNull } from "drizzle-orm";

import { getDb } from "@/db/client";
import { notificationEmails } from "@/db/schema";
import { log } from "@/lib/log";

import { linkBase, newToken, tokenHash } from "./addresses";
import { CONFIRM_EMAIL_JOB, NOTIFICATION_EMAIL_JOB } from "./jobs";
import { KIND_LABELS } from "./kinds";
import { sendMail } from "./mailer";
import { getPreferences } from "./preferences";

/** A failed send is logged in one line (who, what, why) and rethrown: the queue retries it with backoff. */
async function sending(what: string, fields: Record<string, unknown>, send: () => Promise<boolean>): Promise<void> {
  try {
    if (!(await send())) log.info(`${what} not sent: SMTP_URL is unset`, fields);
  } catch (error) {
    log.warn(`${what} failed (will be retried)`, { ...fields, error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

/**
 * A notification's mail, sent after the fan-out committed. Checked again when it runs: the address
 * must still be confirmed and that kind's e-mail still on (an unsubscribe in between wins).
 */
export const notificationEmailJob = NOTIFICATION_EMAIL_JOB.handler(async (p) => {
  const [to] = await getDb().select().from(notificationEmails).where(eq(notificationEmails.userId, p.userId));
  if (!to?.confirmedAt) return;
  if (!(await getPreferences(p.userId))[p.kind].email) return;
  const base = linkBase(to.linkOrigin);
  const unsubscribeUrl = `${base}/api/notifications/unsubscribe?token=${to.unsubscribeToken}&kind=${p.kind}`;
  const reasons = p.reasons.map((r) => `  • ${r.score} · ${r.by} — ${r.reasoning}`).join("\n");
  const text = [
    p.title,
    "",
    p.body,
    reasons ? `\nReasons given:\n${reasons}` : "",
    p.link ? `\nOpen it: ${base}${p.link}` : "",
    "",
    "—",
    `You get this because "${KIND_LABELS[p.kind]}" is on in your notification settings: ${base}/settings/notifications`,
    `Stop these e-mails: ${base}/notifications/unsubscribe?token=${to.unsubscribeToken}&kind=${p.kind}`,
  ].join("\n");
  await sending("notification e-mail", { userId: p.userId, eventId: p.eventId, kind: p.kind }, () => sendMail({ to: to.address, subject: p.title, text, unsubscribeUrl }));
});

/**
 * The confirmation mail: a fresh token (its hash stored, while the address is the one the job was for
 * and unconfirmed), then the mail. A rerun after a lost answer mails a new link; the older one stops working.
 */
export const confirmEmailJob = CONFIRM_EMAIL_JOB.handler(async (p) => {
  const token = newToken();
  const [row] = await getDb()
    .update(notificationEmails)
    .set({ confirmTokenHash: tokenHash(token) })
    .where(and(eq(notificationEmails.id, p.emailId), eq(notificationEmails.address, p.address), isNull(notificationEmails.confirmedAt)))
    .returning();
  if (!row) return;
  const base = linkBase(row.linkOrigin);
  const text = [
    "Confirm this address for NWU Protocol notifications:",
    "",
    `${base}/notifications/confirm?token=${token}`,
    "",
    "If you did not add it, ignore this mail: nothing will be sent to it.",
  ].join("\n");
  await sending("confirmation e-mail", { userId: row.userId, emailId: row.id }, () => sendMail({ to: row.address, subject: "Confirm your e-mail address for NWU Protocol", text }));
});
