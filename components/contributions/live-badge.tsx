"use client";

import { memo, useEffect, useState } from "react";

import { isOpen } from "@/db/vocabulary";

import { StatusBadge } from "./status-badge";

/** A status badge that follows the contribution's event stream (the browser reconnects on drops). */
export const LiveBadge = memo(function LiveBadge({ id, status }: { id: string; status: string }) {
  const [live, setLive] = useState(status);
  useEffect(() => {
    if (!isOpen(status)) return; // decided or held: nothing to follow
    const source = new EventSource(`/api/v1/contributions/${id}/events`);
    source.addEventListener("status", (e) => setLive((JSON.parse((e as MessageEvent<string>).data) as { status: string }).status));
    return () => source.close();
  }, [id, status]);
  return <StatusBadge status={live} />;
});
