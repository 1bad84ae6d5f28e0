const TONE: Record<string, string> = {
  verified: "badge-ok",
  rejected: "badge-danger",
  halted: "badge-danger",
  paused: "badge-warn",
  verifying: "badge-warn",
  appealed: "badge-warn",
  pending: "",
  // rewards and payout batches
  processing: "badge-warn",
  distributed: "badge-ok",
  failed: "badge-danger",
  sending: "badge-warn",
  confirming: "badge-warn",
  completed: "badge-ok",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge ${TONE[status] ?? ""}`} data-testid="status-badge">
      {status}
    </span>
  );
}
