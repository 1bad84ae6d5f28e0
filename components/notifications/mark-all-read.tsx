"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/** The inbox page's "Mark all read": the same call as the bell's, then the page re-read. */
export function MarkAllRead() {
  const router = useRouter();
  const [state, setState] = useState<"idle" | "busy" | "failed">("idle");
  return (
    <>
      <button
        type="button"
        className="button button-secondary"
        disabled={state === "busy"}
        onClick={async () => {
          setState("busy");
          const res = await fetch("/api/v1/me/notifications/read", { method: "POST", headers: { "content-type": "application/json" }, credentials: "same-origin", body: JSON.stringify({ all: true }) }).catch(() => null);
          setState(res?.ok ? "idle" : "failed");
          if (res?.ok) router.refresh();
        }}
      >
        Mark all read
      </button>
      {state === "failed" ? (
        <span role="alert" className="error-text">
          Could not mark them read. Try again.
        </span>
      ) : null}
    </>
  );
}
