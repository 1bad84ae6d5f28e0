import { TitledSection } from "@/components/titled-section";
import type { SetupItem } from "@/lib/admin/setup";

/** The operator's view of what is set up: each service, ready or not, and the settings that change it. */
export function SetupChecklist({ items }: { items: SetupItem[] }) {
  const ready = items.filter((i) => i.ready).length;
  return (
    <TitledSection id="setup-title" title="Setup">
      <p>
        {ready} of {items.length} set up for production. Settings are read at start (see <code>.env.example</code>).
      </p>
      <ul className="grid checklist" data-testid="setup-checklist">
        {items.map((item) => (
          <li key={item.id} className="card" data-testid={`setup-${item.id}`} data-ready={item.ready}>
            <span className={`badge ${item.ready ? "badge-ok" : "badge-warn"}`}>{item.ready ? "ready" : "to do"}</span> <strong>{item.label}</strong>
            <p>{item.detail}</p>
            <p className="muted">
              {item.settings.map((s, i) => (
                <span key={s}>
                  {i ? ", " : ""}
                  <code>{s}</code>
                </span>
              ))}
            </p>
          </li>
        ))}
      </ul>
    </TitledSection>
  );
}
