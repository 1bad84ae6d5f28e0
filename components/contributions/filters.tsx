"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useTransition, type FormEvent } from "react";

import { CONTRIBUTION_STATUSES, FILE_TYPES } from "@/db/vocabulary";
import { ADDRESS_PATTERN_SOURCE } from "@/lib/address";


/** Filters live in the URL (shareable, back-button friendly); changing one starts again at page 1. */
export function ContributionFilters() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();

  const apply = useCallback(
    (form: HTMLFormElement) => {
      const next = new URLSearchParams();
      for (const [key, value] of new FormData(form).entries()) if (typeof value === "string" && value.trim()) next.set(key, value.trim());
      startTransition(() => router.replace(next.size ? `${pathname}?${next}` : pathname));
    },
    [pathname, router],
  );
  const onSubmit = useCallback(
    (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      apply(e.currentTarget);
    },
    [apply],
  );

  return (
    <form className="toolbar" role="search" onSubmit={onSubmit} aria-busy={pending} data-testid="contribution-filters">
      <label>
        Search titles <input name="q" type="search" defaultValue={params.get("q") ?? ""} maxLength={200} />
      </label>
      <label>
        Status{" "}
        <select name="status" defaultValue={params.get("status") ?? ""} onChange={(e) => apply(e.currentTarget.form!)}>
          <option value="">any</option>
          {CONTRIBUTION_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        Type{" "}
        <select name="type" defaultValue={params.get("type") ?? ""} onChange={(e) => apply(e.currentTarget.form!)}>
          <option value="">any</option>
          {FILE_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        Owner <input name="owner" defaultValue={params.get("owner") ?? ""} placeholder="0x…" pattern={ADDRESS_PATTERN_SOURCE} size={16} />
      </label>
      <button type="submit" className="button button-secondary">
        Apply
      </button>
    </form>
  );
}
