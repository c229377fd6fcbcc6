/**
 * The run as it happens: concurrent executions, database connections and live execution
 * environments against the max_connections line, and errors per second on their own axis. Drawn with uPlot, which redraws
 * thousands of points in well under a frame; one point per virtual second arrives from the Worker.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Sample } from '../../engine/metrics/metrics.ts';

export interface RunChart {
  add(sample: Sample): void;
  reset(maxConnections: number): void;
  destroy(): void;
}

/** A theme colour as the canvas needs it: resolved (tokens are light-dark() pairs) to rgb(). */
function themeColour(parent: HTMLElement, name: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${name})`;
  parent.append(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour;
}

export function createChart(parent: HTMLElement): RunChart {
  const seconds: number[] = [];
  const concurrency: number[] = [];
  const connections: number[] = [];
  const environments: number[] = [];
  const limit: number[] = [];
  const errors: number[] = [];
  let maxConnections = 0;

  const [accent, danger, muted, ok, border] = ['--accent', '--danger', '--fg-muted', '--ok', '--border'].map((name) => themeColour(parent, name)) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const grid = { stroke: border, width: 1 };

  const width = () => Math.max(parent.clientWidth - 8, 240);
  const plot = new uPlot(
    {
      width: width(),
      height: 250,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, errors: { auto: true } },
      axes: [
        { label: 'virtual seconds', stroke: muted, grid, ticks: grid },
        { label: 'count', stroke: muted, grid, ticks: grid, size: 56 },
        { scale: 'errors', side: 1, label: 'errors / s', stroke: danger, grid: { show: false }, size: 56 },
      ],
      series: [
        {},
        { label: 'ConcurrentExecutions', stroke: accent, width: 2 },
        { label: 'DatabaseConnections', stroke: ok, width: 2 },
        { label: 'EnvironmentsAlive', stroke: muted, width: 1 },
        { label: 'max_connections', stroke: muted, width: 1.5, dash: [6, 4] },
        { label: 'Errors per second', stroke: danger, width: 1.5, scale: 'errors' },
      ],
    },
    [seconds, concurrency, connections, environments, limit, errors],
    parent,
  );
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 250 }));
  resize.observe(parent);

  const redraw = () => plot.setData([seconds, concurrency, connections, environments, limit, errors]);
  return {
    add(sample) {
      seconds.push(sample.second);
      concurrency.push(sample.values.ConcurrentExecutions);
      connections.push(sample.values.DatabaseConnections);
      environments.push(sample.values.EnvironmentsAlive);
      limit.push(maxConnections);
      errors.push(sample.values.Errors);
      redraw();
    },
    reset(max) {
      maxConnections = max;
      for (const series of [seconds, concurrency, connections, environments, limit, errors]) series.length = 0;
      redraw();
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
