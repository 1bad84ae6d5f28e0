"use client";

import { memo } from "react";

import { ActionButton } from "@/components/action-button";
import { requeueJobAction } from "@/lib/jobs/actions";

export const RequeueButton = memo(function RequeueButton({ id }: { id: string }) {
  return (
    <ActionButton action={() => requeueJobAction({ id })} doneLabel="Queued">
      Re-queue
    </ActionButton>
  );
});
