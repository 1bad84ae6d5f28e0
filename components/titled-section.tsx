import type { ReactNode } from "react";

/** A page section labelled by its `.section-title` heading; `id` is the heading's, for `aria-labelledby`. */
export function TitledSection({ id, title, children }: { id: string; title: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className="section-title">
        {title}
      </h2>
      {children}
    </section>
  );
}
