/** Shown while the dashboard's figures are computed: the page's shape, without numbers. */
export default function DashboardLoading() {
  return (
    <div aria-busy="true" aria-live="polite">
      <h1>Dashboard</h1>
      <p className="visually-hidden">Loading your figures…</p>
      <div className="cards">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="card skeleton" style={{ height: "6rem" }} />
        ))}
      </div>
      <div className="grid">
        <div className="card skeleton" style={{ height: "13rem" }} />
        <div className="card skeleton" style={{ height: "13rem" }} />
      </div>
    </div>
  );
}
