/** One figure in a `.cards` grid. `heading` follows the page's outline: h2 on the dashboard, h3 under an admin section. */
export function StatCard({ label, value, testId, heading: Heading = "h2" }: { label: string; value: string | number; testId: string; heading?: "h2" | "h3" }) {
  return (
    <section className="card" aria-label={label}>
      <Heading>{label}</Heading>
      <p className="stat" data-testid={testId}>
        {value}
      </p>
    </section>
  );
}
