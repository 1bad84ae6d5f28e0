import type { ReactNode } from "react";

/**
 * A table wider than the screen scrolls inside this box, never the page. The box is a named,
 * focusable region so keyboard users can scroll it too (and screen readers announce what it holds).
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
