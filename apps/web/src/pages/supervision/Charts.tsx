/**
 * Bar charts through Chart.js (only the parts used are registered, so its chunk stays small),
 * loaded with the dashboard only: React.lazy(() => import('./Charts')). Each chart has a text
 * alternative: its name on the canvas and its figures in a table beside it.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface Series {
  label: string;
  values: number[];
  color: string;
}

export function BarChart({
  title,
  labels,
  series,
  stacked = false,
  figuresLabel,
}: {
  title: string;
  labels: string[];
  series: Series[];
  stacked?: boolean;
  figuresLabel: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.color, borderRadius: 3 })),
      },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: series.length > 1, position: 'bottom' } },
        scales: {
          x: { stacked, beginAtZero: true, ticks: { precision: 0 } },
          y: { stacked, ticks: { autoSkip: false } },
        },
      },
    });
    return () => chart.destroy();
  }, [labels, series, stacked]);
  const summary = labels.map((l, i) => `${l}: ${series.map((s) => s.values[i]).join(' / ')}`).join('; ');
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <div className="chart-box" style={{ height: `${Math.max(8, labels.length * (stacked ? 2.2 : 2) + 3)}rem` }}>
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
                {series.map((s) => (
                  <td key={s.label}>{s.values[i]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
