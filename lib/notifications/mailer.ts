import "server-only";

import nodemailer, { type Transporter } from "nodemailer";

import { getEnv } from "@/lib/config/env";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** RFC 8058 one-click unsubscribe: List-Unsubscribe + List-Unsubscribe-Post on the mail. */
  unsubscribeUrl?: string;
}

let transport: { url: string; timeout: number; transporter: Transporter } | undefined;

function transporter(url: string, timeout: number): Transporter {
  if (transport?.url !== url || transport.timeout !== timeout) {
    transport?.transporter.close();
    // Bounded at each step: the connection, the server's greeting, and any silence on the socket.
    const options = { url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout };
    transport = { url, timeout, transporter: nodemailer.createTransport(options as Parameters<typeof nodemailer.createTransport>[0]) };
  }
  return transport.transporter;
}

/** Whether mail can be sent at all (SMTP_URL set). Without it nothing is sent and nothing else changes. */
export const mailConfigured = (): boolean => !!getEnv().SMTP_URL;

/**
 * Sends one mail through SMTP_URL (from SMTP_FROM). Throws on failure, so the job that called it is
 * retried by the queue with its backoff. false when no SMTP_URL is configured.
 */
export async function sendMail(mail: Mail): Promise<boolean> {
  const { SMTP_URL, SMTP_FROM, SMTP_TIMEOUT_MS } = getEnv();
  if (!SMTP_URL) return false;
  await transporter(SMTP_URL, SMTP_TIMEOUT_MS).sendMail({
    from: SMTP_FROM,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    headers: mail.unsubscribeUrl ? { "List-Unsubscribe": `<${mail.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } : {},
  });
  return true;
}
