"use client";

import { useState } from "react";

import { ActionButton } from "@/components/action-button";
import { setVerifierRoleAction } from "@/lib/users/actions";

/** Grant/revoke one role (verifier or agent) for one user row; shows the server's error beside the button. */
export function RoleToggle({ address, role, holds }: { address: string; role: "verifier" | "agent"; holds: boolean }) {
  const [has, setHas] = useState(holds);
  return (
    <span>
      <ActionButton
        action={() => setVerifierRoleAction({ address, role, grant: !has })}
        onSuccess={(data) => setHas(data.roles.includes(role))}
        aria-label={`${has ? "Revoke" : "Grant"} ${role} for ${address}`}
      >
        {has ? `Revoke ${role}` : `Grant ${role}`}
      </ActionButton>
    </span>
  );
}
