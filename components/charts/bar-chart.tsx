import type { CSSProperties } from "react";

/**
 * Server-rendered bar charts: no chart library and no JavaScript shipped to the browser. Bars are an
 * SVG stretched to the card; the axes are HTML beside it (text in a stretched SVG would distort), so
 * the chart stays legible from 390 px up. Each chart carries a visually hidden data table for screen
 * readers, so the axes themselves are hidden from them.
 */
export interface Series {
  key: string;
  label: string;
  color: string;
}

/** At most this many bars get their value printed on top; denser charts read from the y axis. */
const MAX_VALUE_LABELS = 12;
/** The x axis names about this many bars (first and last always), so labels never collide on a phone. */
const X_TICKS = 4;

export function StackedBarChart({
  title,
  labels,
  series,
  values,
  xTitle,
  yTitle,
  tickLabel = (l) => l,
  height = 160,
}: {
  title: string;
  labels: string[];
  series: Series[];
  values: Record<string, number>[];
  xTitle: string;
  yTitle: string;
  /** The short form of a label under its bar (the data table keeps the full one). */
  tickLabel?: (label: string) => string;
  height?: number;
}) {
  const totals = values.map((v) => series.reduce((s, x) => s + (v[x.key] ?? 0), 0));
  const top = niceCeiling(Math.max(0, ...totals));
  const yTicks = top % 2 === 0 && top > 1 ? [top, top / 2, 0] : [top, 0];
  const n = labels.length;
  const barWidth = 100 / n;
  const plotHeight = height / 4;
  const id = slug(title);
  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      <div className="chart-body" style={{ "--chart-height": `${height}px` } as CSSProperties}>
        <span className="chart-y-title" aria-hidden="true" data-testid="chart-y-title">
          {yTitle}
        </span>
        <div className="chart-y" aria-hidden="true" data-testid="chart-y-axis" style={{ width: `${Math.max(...yTicks.map((t) => t.toLocaleString("en-US").length)) + 1}ch` }}>
          {yTicks.map((t) => (
            <span key={t} style={{ bottom: `${(t / top) * 100}%` }}>
              {t.toLocaleString("en-US")}
            </span>
          ))}
        </div>
        <div className="chart-plot">
          <svg viewBox={`0 0 100 ${plotHeight}`} preserveAspectRatio="none" role="img" aria-label={title} className="chart-svg">
            {yTicks.map((t) => (
              <line key={t} x1={0} x2={100} y1={plotHeight - (t / top) * plotHeight} y2={plotHeight - (t / top) * plotHeight} className="chart-grid" vectorEffect="non-scaling-stroke" />
            ))}
            {values.map((v, i) => {
              let y = plotHeight;
              return series.map((s) => {
                const h = ((v[s.key] ?? 0) / top) * plotHeight;
                y -= h;
                return h > 0 ? <rect key={`${i}-${s.key}`} x={i * barWidth + barWidth * 0.15} y={y} width={barWidth * 0.7} height={h} fill={s.color} /> : null;
              });
            })}
          </svg>
          {n <= MAX_VALUE_LABELS ? (
            <div className="chart-values" aria-hidden="true" data-testid="chart-values">
              {totals.map((t, i) => (
                <span key={labels[i]} style={{ left: `${(i + 0.5) * barWidth}%`, bottom: `${(t / top) * 100}%` }}>
                  {t.toLocaleString("en-US")}
                </span>
              ))}
            </div>
          ) : null}
        </div>
        <div className="chart-x" aria-hidden="true" data-testid="chart-x-axis">
          {xTickIndexes(n).map((i) => (
            <span key={labels[i]} data-edge={i === 0 ? "start" : i === n - 1 ? "end" : undefined} style={{ left: `${(i + 0.5) * barWidth}%` }}>
              {tickLabel(labels[i]!)}
            </span>
          ))}
        </div>
        <span className="chart-x-title" aria-hidden="true" data-testid="chart-x-title">
          {xTitle}
        </span>
      </div>
      <figcaption id={`${id}-caption`}>
        {title}
        {series.length > 1 ? (
          <span className="legend" data-testid="chart-legend">
            {series.map((s) => (
              <span key={s.key}>
                <i style={{ background: s.color }} aria-hidden="true" /> {s.label}
              </span>
            ))}
          </span>
        ) : null}
      </figcaption>
      <div className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{xTitle}</th>
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
      </div>
    </figure>
  );
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `max` (at least 1): the y axis ends on a round number. */
export function niceCeiling(max: number): number {
  if (max <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((c) => c >= max)!;
}

/** Which bars the x axis names: evenly spaced, the first and the last always, none crowding the last. */
export function xTickIndexes(n: number): number[] {
  if (n <= 0) return [];
  const step = Math.max(1, Math.ceil((n - 1) / (X_TICKS - 1)));
  const picked: number[] = [];
  for (let i = 0; i < n - 1; i += step) if (n - 1 - i >= step / 2 || i === 0) picked.push(i);
  picked.push(n - 1);
  return picked;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-");

const SHORT_DAY = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });
/** "2026-11-23" → "Nov 23": an x tick short enough for five of them across a phone. */
export const shortDay = (isoDay: string) => SHORT_DAY.format(new Date(`${isoDay}T00:00:00Z`));
