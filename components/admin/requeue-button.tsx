"use client";


import { ActionButton } from "@/components/action-button";
import { requeueJobAction } from "@/lib/jobs/actions";

export function RequeueButton({ id }: { id: string }) {
  return (
    <ActionButton action={() => requeueJobAction({ id })} doneLabel="Queued">
      Re-queue
    </ActionButton>
  );
}
