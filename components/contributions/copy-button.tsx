"use client";

import { useCallback, useState } from "react";

export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = useCallback(async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  }, [value]);
  return (
    <button type="button" className="button button-secondary" onClick={copy} aria-label={`${label} ${value}`}>
      <span aria-live="polite">{copied ? "Copied" : label}</span>
    </button>
  );
}
