import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartProps {
  title: string;
  /** x values: Unix seconds. */
  x: number[];
  series: Array<{ label: string; values: Array<number | null> }>;
  /** Formats a y value for the axis and legend. */
  format?: (value: number) => string;
}

const palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4d7c0f', '#be185d'];

/**
 * A time-series chart (uPlot, canvas). Recreated when its series change, otherwise given the
 * new data, so a live chart keeps its size and legend while it updates.
 */
export function Chart({ title, x, series, format }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.map((s) => s.label).join('|');

  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const fmt = format ?? ((v: number) => v.toLocaleString('en'));
    plot.current = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: 240,
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: palette[i % palette.length] ?? '#000',
            width: 2,
            spanGaps: true,
            value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : fmt(v)),
          })),
        ],
        axes: [{}, { values: (_u: uPlot, ticks: number[]) => ticks.map(fmt), size: 70 }],
      },
      [x, ...series.map((s) => s.values)],
      element,
    );
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [shape]);

  useEffect(() => {
    plot.current?.setData([x, ...series.map((s) => s.values)]);
  }, [x, series]);

  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const points = values.length;
  return html`<figure class="chart" data-points=${points} data-max=${points > 0 ? Math.max(...values) : ''}>
    <figcaption>${title}</figcaption>
    <div ref=${box} role="img" aria-label=${`${title}: ${points} data points`}></div>
  </figure>`;
}
