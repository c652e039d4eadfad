import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line or bar series of a chart. */
export interface ChartSeries {
  label: string;
  values: number[];
  color: string;
}

const bars = uPlot.paths.bars?.({ size: [0.7, 40] });

/**
 * A uPlot chart over categories (days or hours): stacked bars, or lines. Sized to its container and
 * redrawn when the data or the width changes; the figures themselves are in the table beside it.
 */
export function Chart(props: { labels: string[]; series: ChartSeries[]; kind?: 'bars' | 'lines'; height?: number; title: string; xLabel: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const x = props.labels.map((_, i) => i);
    const stacked = props.kind !== 'lines';
    // Stacked bars: each series drawn as the running sum, so the tallest is the day's total.
    const running = x.map(() => 0);
    const data: number[][] = [x];
    for (const series of props.series) {
      data.push(stacked ? series.values.map((value, i) => (running[i] = (running[i] ?? 0) + value)) : series.values);
    }
    const series: uPlot.Series[] = [
      { label: props.xLabel, value: (_u, index: number | null) => (index === null ? '' : (props.labels[index] ?? '')) },
      ...props.series.map((s) => ({
        label: s.label,
        stroke: s.color,
        fill: stacked ? s.color : undefined,
        width: stacked ? 0 : 2,
        ...(stacked && bars ? { paths: bars } : {}),
        points: { show: !stacked && props.labels.length < 40 },
      })),
    ];
    // Stacked: draw the tallest (last running sum) first so the smaller ones show in front.
    if (stacked) {
      const order = [0, ...props.series.map((_, i) => props.series.length - i)];
      data.splice(0, data.length, ...order.map((i) => data[i] as number[]));
      series.splice(0, series.length, ...order.map((i) => series[i] as uPlot.Series));
    }
    const plot = new uPlot(
      {
        width: element.clientWidth || 600,
        height: props.height ?? 220,
        scales: { x: { time: false } },
        axes: [{ values: (_u, ticks) => ticks.map((tick) => props.labels[tick] ?? '') }, {}],
        series,
        legend: { show: true },
      },
      data as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => {
      plot.setSize({ width: element.clientWidth || 600, height: props.height ?? 220 });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.labels, props.series, props.kind, props.height, props.xLabel]);
  return <div className="chart" ref={box} role="img" aria-label={props.title} />;
}
