/**
 * Server-rendered SVG bar charts: no chart library and no JavaScript shipped to the browser. Each
 * chart carries a visually hidden data table for screen readers.
 */
export interface Series {
  key: string;
  label: string;
  color: string;
}

export function StackedBarChart({
  title,
  labels,
  series,
  values,
  height = 160,
}: {
  title: string;
  labels: string[];
  series: Series[];
  values: Record<string, number>[];
  height?: number;
}) {
  const totals = values.map((v) => series.reduce((s, x) => s + (v[x.key] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const barWidth = 100 / labels.length;
  return (
    <figure className="chart" aria-labelledby={`${slug(title)}-caption`}>
      <svg viewBox={`0 0 100 ${height / 4}`} preserveAspectRatio="none" role="img" aria-label={title} className="chart-svg" style={{ height }}>
        {values.map((v, i) => {
          let y = height / 4;
          return series.map((s) => {
            const h = ((v[s.key] ?? 0) / max) * (height / 4 - 2);
            y -= h;
            return h > 0 ? <rect key={`${i}-${s.key}`} x={i * barWidth + barWidth * 0.15} y={y} width={barWidth * 0.7} height={h} fill={s.color} /> : null;
          });
        })}
      </svg>
      <figcaption id={`${slug(title)}-caption`}>
        {title}
        {series.length > 1 ? (
          <span className="legend">
            {series.map((s) => (
              <span key={s.key}>
                <i style={{ background: s.color }} aria-hidden="true" /> {s.label}
              </span>
            ))}
          </span>
        ) : null}
      </figcaption>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((label, i) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {series.map((s) => (
                <td key={s.key}>{values[i]![s.key] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-");
