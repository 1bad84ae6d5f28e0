/** One figure in a `.cards` grid. `heading` follows the page's outline: h2 on the dashboard, h3 under an admin section. */
export function StatCard({ label, value, testId, hint, heading: Heading = "h2" }: { label: string; value: string | number; testId: string; hint?: string; heading?: "h2" | "h3" }) {
  return (
    <section className="card" aria-label={label}>
      <Heading>{label}</Heading>
      <p className="stat" data-testid={testId}>
        {value}
      </p>
      {hint ? <p className="stat-hint">{hint}</p> : null}
    </section>
  );
}
