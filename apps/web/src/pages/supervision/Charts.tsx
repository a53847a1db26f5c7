/**
 * Bar charts through Chart.js (only the parts used are registered, so its chunk stays small),
 * loaded with the dashboard only: React.lazy(() => import('./Charts')), fetched while the
 * dashboard's data loads. Each chart has a text alternative: its name on the canvas and its
 * figures in a table beside it. With `drill`, a click on a bar opens the list behind it, and each
 * figure of the table is a link to the same list (for keyboards and screen readers).
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface Series {
  label: string;
  values: number[];
  color: string;
}

/** Where a bar leads: a route of the app and its search parameters. */
export interface DrillTarget {
  to: '/dashboard' | '/memoranda';
  search: Record<string, string | number | undefined>;
}

export function BarChart({
  title,
  labels,
  series,
  stacked = false,
  horizontal = true,
  figuresLabel,
  drill,
  onDrill,
}: {
  title: string;
  labels: string[];
  series: Series[];
  stacked?: boolean;
  horizontal?: boolean;
  figuresLabel: string;
  /** The list behind a bar (label index, series index); null where there is none. */
  drill?: (label: number, series: number) => DrillTarget | null;
  onDrill?: (target: DrillTarget) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drillRef = useRef({ drill, onDrill });
  drillRef.current = { drill, onDrill };
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.color, borderRadius: 3 })),
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        onClick: (_event, elements) => {
          const hit = elements[0];
          const { drill: target, onDrill: go } = drillRef.current;
          const to = hit && target?.(hit.index, hit.datasetIndex);
          if (to && go) go(to);
        },
        onHover: (event, elements) => {
          const el = event.native?.target as { style?: { cursor: string } } | undefined;
          if (el?.style && drillRef.current.drill) el.style.cursor = elements.length ? 'pointer' : 'default';
        },
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: series.length > 1, position: 'bottom' } },
        scales: horizontal
          ? {
              x: { stacked, beginAtZero: true, ticks: { precision: 0 } },
              y: { stacked, ticks: { autoSkip: false } },
            }
          : {
              x: { stacked, ticks: { autoSkip: false } },
              y: { stacked, beginAtZero: true, ticks: { precision: 0 } },
            },
      },
    });
    return () => chart.destroy();
  }, [labels, series, stacked, horizontal]);
  const summary = labels.map((l, i) => `${l}: ${series.map((s) => s.values[i]).join(' / ')}`).join('; ');
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <div
        className="chart-box"
        style={{ height: horizontal ? `${Math.max(8, labels.length * (stacked ? 2.2 : 2) + 3)}rem` : '16rem' }}
      >
        <canvas ref={canvas} role="img" aria-label={`${title}. ${summary}`} />
      </div>
      <details>
        <summary>{figuresLabel}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{title}</th>
              {series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((l, i) => (
              <tr key={l}>
                <th scope="row">{l}</th>
                {series.map((s, j) => {
                  const target = s.values[i] ? drill?.(i, j) : null;
                  return (
                    <td key={s.label}>
                      {target ? (
                        <Link
                          to={target.to}
                          // eslint-disable-next-line no-restricted-syntax -- one of two routes' search, validated by its zod schema
                          search={target.search as never}
                          aria-label={`${l}, ${s.label}: ${s.values[i]}`}
                          data-drill={`${i}-${j}`}
                        >
                          {s.values[i]}
                        </Link>
                      ) : (
                        s.values[i]
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
