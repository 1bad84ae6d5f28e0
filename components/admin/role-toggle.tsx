"use client";

import { memo, useState, useTransition } from "react";

import { setVerifierRoleAction } from "@/app/admin/actions";

/** Grant/revoke one role (verifier or agent) for one user row; shows the server's error beside the button. */
export const RoleToggle = memo(function RoleToggle({ address, role, holds }: { address: string; role: "verifier" | "agent"; holds: boolean }) {
  const [pending, startTransition] = useTransition();
  const [has, setHas] = useState(holds);
  const [error, setError] = useState<string | null>(null);

  const toggle = () =>
    startTransition(async () => {
      setError(null);
      const result = await setVerifierRoleAction({ address, role, grant: !has });
      if (result.ok) setHas(result.data.roles.includes(role));
      else setError(result.error);
    });

  return (
    <span>
      <button type="button" className="button button-secondary" onClick={toggle} disabled={pending} aria-label={`${has ? "Revoke" : "Grant"} ${role} for ${address}`}>
        {has ? `Revoke ${role}` : `Grant ${role}`}
      </button>
      {error ? (
        <span role="alert" className="badge badge-danger">
          {error}
        </span>
      ) : null}
    </span>
  );
});
