"use client";

import { memo, useState, useTransition } from "react";

import { requeueJobAction } from "@/app/admin/actions";

export const RequeueButton = memo(function RequeueButton({ id }: { id: string }) {
  const [pending, startTransition] = useTransition();
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="button button-secondary"
      disabled={pending || done}
      onClick={() => startTransition(async () => setDone((await requeueJobAction({ id })).ok))}
    >
      {done ? "Queued" : "Re-queue"}
    </button>
  );
});
