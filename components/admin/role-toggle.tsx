"use client";

import { memo, useState, useTransition } from "react";

import { setVerifierRoleAction } from "@/app/admin/actions";

/** Grant/revoke verifier for one user row; shows the server's error beside the button. */
export const RoleToggle = memo(function RoleToggle({ address, isVerifier }: { address: string; isVerifier: boolean }) {
  const [pending, startTransition] = useTransition();
  const [verifier, setVerifier] = useState(isVerifier);
  const [error, setError] = useState<string | null>(null);

  const toggle = () =>
    startTransition(async () => {
      setError(null);
      const result = await setVerifierRoleAction({ address, grant: !verifier });
      if (result.ok) setVerifier(result.data.roles.includes("verifier"));
      else setError(result.error);
    });

  return (
    <span>
      <button type="button" className="button button-secondary" onClick={toggle} disabled={pending} aria-label={`${verifier ? "Revoke" : "Grant"} verifier for ${address}`}>
        {verifier ? "Revoke verifier" : "Grant verifier"}
      </button>
      {error ? (
        <span role="alert" className="badge badge-danger">
          {error}
        </span>
      ) : null}
    </span>
  );
});
