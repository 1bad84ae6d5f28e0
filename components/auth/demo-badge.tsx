import { getEnv } from "@/lib/config/env";

/** Shown while demo mode is on: the demo accounts' keys are public, so nothing here is private. */
export function DemoBadge() {
  if (!getEnv().demoMode) return null;
  return (
    <span className="badge demo-badge" data-testid="demo-badge" title="Demo mode: sample data, and demo accounts anyone can sign in as. Nothing here is private.">
      Demo
    </span>
  );
}
