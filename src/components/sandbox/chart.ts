/**
 * The run as it happens, drawn to point at the cause: the sandbox's own series (sandbox.json `chart`)
 * against its limit, a labelled line in its own colour with the area above it shaded; errors in a
 * strip of their own below, on the same time axis; vertical markers where the limit was reached and
 * where the first error came, with their times; a pinned run's lines faint underneath. Points come
 * from the Worker in buckets finer than a second (engine/metrics/sampler.ts), so a 2-second run draws
 * a curve. Drawn with uPlot, which redraws thousands of points in well under a frame; colours are the
 * theme's, read again when the theme changes.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartSample } from '../../engine/metrics/sampler.ts';
import { formatNumber } from '../../lib/format-number.ts';
import type { Sandbox } from '../../sandboxes/schema.ts';
import { iamToken } from '../../facts/rds-proxy.ts';
import { formatRunTime } from '../../run/verdict.ts';

export type ChartSetup = Sandbox['chart'] & { durationMs: number };

/** A finished run's points, kept to draw it faintly under the next one. */
export interface RecordedRun {
  samples: ChartSample[];
}

export interface ChartMarkers {
  limit?: { value: number; reachedMs?: number };
  firstErrorMs?: number;
}

/** A fixed scale for charts drawn side by side (each variant of a sandbox): the largest value of any of them. */
export interface SharedScale {
  y: number;
  errors: number;
}

export interface ChartOptions {
  /** Small: a variant's chart among others, lower plots. */
  small?: boolean;
  scale?: SharedScale;
}

export interface RunChart {
  /** A fresh chart for a run, with the pinned run's lines under it when there is one. */
  reset(setup: ChartSetup, ghost?: RecordedRun): void;
  add(sample: ChartSample): void;
  /** The points drawn so far (the run to pin). */
  recorded(): RecordedRun;
  markers(): ChartMarkers;
  destroy(): void;
}

const SERIES_COLOURS = ['--accent', '--ok', '--warn', '--fg'];
const LIMIT_COLOUR = '--focus';
const ERROR_COLOUR = '--danger';
const ERRORS = 'Errors';
const LONG_RUN_MS = 120_000;

/** A theme colour as the canvas needs it: resolved (tokens are light-dark() pairs) to rgb(). */
function themeColour(parent: HTMLElement, name: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${name})`;
  parent.append(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour;
}

/** A resolved rgb() colour at an opacity. */
function faded(colour: string, alpha: number): string {
  const [red, green, blue] = colour.match(/[\d.]+/g) ?? ['0', '0', '0'];
  return `rgba(${red}, ${green}, ${blue}, ${alpha})`;
}

interface Colours {
  series: string[];
  limit: string;
  errors: string;
  axis: string;
  grid: string;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  return Object.assign(document.createElement(tag), { className });
}

export function createChart(parent: HTMLElement, options: ChartOptions = {}): RunChart {
  const legend = element('ul', 'chart-legend');
  const mainHost = element('div', 'chart-main');
  const stripHost = element('div', 'chart-strip');
  const markerList = element('ul', 'chart-markers');
  markerList.setAttribute('aria-label', 'Moments in the run');
  parent.replaceChildren(legend, mainHost, stripHost, markerList);

  let setup: ChartSetup | undefined;
  let ghost: RecordedRun | undefined;
  let samples: ChartSample[] = [];
  let plots: uPlot[] = [];
  let frame = 0;

  const readColours = (): Colours => ({
    series: SERIES_COLOURS.map((name) => themeColour(parent, name)),
    limit: themeColour(parent, LIMIT_COLOUR),
    errors: themeColour(parent, ERROR_COLOUR),
    axis: themeColour(parent, '--fg-muted'),
    grid: themeColour(parent, '--border'),
  });
  let colours = readColours();

  const interval = () => samples[0]?.intervalMs ?? ghost?.samples[0]?.intervalMs ?? 1000;
  const limitValue = () => {
    if (!setup?.limit) return undefined;
    for (let i = samples.length - 1; i >= 0; i--) {
      const value = samples[i]!.values[setup.limit.name];
      if (value !== undefined) return value;
    }
    return undefined;
  };

  function markers(): ChartMarkers {
    const out: ChartMarkers = {};
    const limit = limitValue();
    if (setup?.limit && limit !== undefined) {
      const reached = samples.find((sample) => limit > 0 && (sample.values[setup!.limit!.reachedBy] ?? 0) >= limit);
      out.limit = { value: limit, ...(reached ? { reachedMs: reached.startMs } : {}) };
    }
    const failed = samples.find((sample) => (sample.values[ERRORS] ?? 0) > 0);
    if (failed) out.firstErrorMs = failed.startMs;
    return out;
  }

  /** Columns for uPlot: x in seconds, the run's values (null past its progress), the pinned run's resampled to this run's buckets. */
  function columns(names: string[]): { x: number[]; current: (number | null)[][]; pinned: (number | null)[][] } {
    const step = interval();
    const ghostStep = ghost?.samples[0]?.intervalMs ?? step;
    const ghostLength = ghost ? Math.ceil((ghost.samples.length * ghostStep) / step) : 0;
    const length = Math.max(samples.length, ghostLength);
    const x = Array.from({ length }, (_, i) => (i * step) / 1000);
    const current = names.map((name) => x.map((_, i) => (i < samples.length ? (samples[i]!.values[name] ?? 0) : null)));
    const pinned = ghost
      ? names.map((name) =>
          x.map((_, i) => {
            const sample = ghost!.samples[Math.floor((i * step) / ghostStep)];
            return sample ? (sample.values[name] ?? 0) : null;
          }),
        )
      : [];
    return { x, current, pinned };
  }

  function xAxis(): uPlot.Axis {
    const long = (setup?.durationMs ?? 0) > LONG_RUN_MS;
    const grid = { stroke: colours.grid, width: 1 };
    return {
      stroke: colours.axis,
      grid,
      ticks: grid,
      label: long ? 'virtual minutes' : 'virtual seconds',
      labelSize: 20,
      ...(long ? { incrs: [60, 120, 300, 600, 900, 1800, 3600], values: (_u: uPlot, splits: number[]) => splits.map((value) => String(Math.round(value / 60))) } : {}),
    };
  }

  /** The limit's label, the markers and the recurring marks, drawn over the plot. */
  function drawOverlay(u: uPlot, withLabels: boolean): void {
    if (!setup) return;
    const { ctx, bbox } = u;
    const ratio = devicePixelRatio || 1;
    ctx.save();
    ctx.font = `${12 * ratio}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    const vertical = (seconds: number, colour: string, dash: number[], label: string | undefined, row: number) => {
      const x = u.valToPos(seconds, 'x', true);
      if (x < bbox.left || x > bbox.left + bbox.width) return;
      ctx.strokeStyle = colour;
      ctx.setLineDash(dash.map((d) => d * ratio));
      ctx.lineWidth = 1.5 * ratio;
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
      if (!label || !withLabels) return;
      ctx.fillStyle = colour;
      const width = ctx.measureText(label).width;
      const left = x + 4 * ratio + width > bbox.left + bbox.width ? x - 4 * ratio - width : x + 4 * ratio;
      ctx.fillText(label, left, bbox.top + (4 + row * 16) * ratio);
    };
    if (setup.marks === 'iam-token-expiry') {
      for (let t = iamToken.lifetime.value; t < setup.durationMs; t += iamToken.lifetime.value) vertical(t / 1000, colours.axis, [2, 3], withLabels ? `token expires, ${formatRunTime(t)}` : undefined, 2);
    }
    const found = markers();
    if (found.limit?.reachedMs !== undefined) vertical(found.limit.reachedMs / 1000, colours.limit, [], `limit reached ${formatRunTime(found.limit.reachedMs)}`, 0);
    if (found.firstErrorMs !== undefined) vertical(found.firstErrorMs / 1000, colours.errors, [4, 3], `first error ${formatRunTime(found.firstErrorMs)}`, 1);
    const limit = limitValue();
    if (withLabels && setup.limit && limit !== undefined) {
      const y = u.valToPos(limit, 'y', true);
      const text = `${setup.limit.label} ${formatNumber(limit)}`;
      ctx.fillStyle = colours.limit;
      ctx.textBaseline = 'bottom';
      ctx.fillText(text, bbox.left + bbox.width - ctx.measureText(text).width - 4 * ratio, y - 3 * ratio);
    }
    ctx.restore();
  }

  function renderLegend(): void {
    if (!setup) return;
    const item = (label: string, colour: string, style: 'solid' | 'dashed' | 'faint', key: string) => {
      const li = element('li', `legend-${style}`);
      li.dataset.series = key;
      const swatch = element('span', 'swatch');
      swatch.style.borderTopColor = style === 'faint' ? faded(colour, 0.45) : colour;
      swatch.setAttribute('aria-hidden', 'true');
      li.append(swatch, label);
      return li;
    };
    const limit = limitValue();
    legend.replaceChildren(
      ...setup.series.map((series, index) => item(series.label, colours.series[index]!, 'solid', series.name)),
      ...(setup.limit ? [item(`${setup.limit.label}${limit !== undefined ? ` ${formatNumber(limit)}` : ''}`, colours.limit, 'dashed', 'limit')] : []),
      ...(ghost ? [item('Pinned run', colours.axis, 'faint', 'pinned')] : []),
    );
  }

  function renderMarkers(): void {
    const found = markers();
    const items: HTMLLIElement[] = [];
    const add = (kind: string, text: string) => {
      const item = Object.assign(element('li', `marker-${kind}`), { textContent: text });
      item.dataset.marker = kind;
      items.push(item);
    };
    if (found.limit?.reachedMs !== undefined) add('limit', `Limit reached at ${formatRunTime(found.limit.reachedMs)} (${setup?.limit?.label} ${formatNumber(found.limit.value)})`);
    if (found.firstErrorMs !== undefined) add('error', `First error at ${formatRunTime(found.firstErrorMs)}`);
    markerList.replaceChildren(...items);
    markerList.hidden = items.length === 0;
  }

  function build(): void {
    for (const plot of plots) plot.destroy();
    plots = [];
    if (!setup) return;
    const names = setup.series.map((series) => series.name);
    const limitName = setup.limit?.name;
    const width = Math.max(parent.clientWidth - 8, 240);
    const range: uPlot.Scale.Range = () => [0, setup!.durationMs / 1000];
    const grid = { stroke: colours.grid, width: 1 };
    const yAxis = (label: string): uPlot.Axis => ({ stroke: colours.axis, grid, ticks: grid, size: 52, label, labelSize: 20 });
    const sync = { key: `${parent.id || 'chart'}-x` };
    // Drawn in order: the pinned run first (underneath), then the limit, then this run's series, the first last (on top).
    const ghostSeries = ghost ? names.map((_, index): uPlot.Series => ({ label: `pinned ${index}`, stroke: faded(colours.series[index]!, 0.4), width: 1.5, points: { show: false } })) : [];
    const limitSeries: uPlot.Series[] = limitName
      ? [{ label: 'limit', stroke: colours.limit, width: 2, dash: [8, 4], points: { show: false }, fill: faded(colours.limit, 0.12), fillTo: (u: uPlot) => u.scales.y!.max ?? 0 }]
      : [];
    const ownSeries = names.map((_, index): uPlot.Series => ({ label: names[index]!, stroke: colours.series[index]!, width: 2, points: { show: false } })).reverse();
    /** The main plot and the errors strip differ in height, axes, series and labels; time, cursor and scales are shared. */
    const plot = (host: HTMLElement, height: number, headroom: number, axes: uPlot.Axis[], series: uPlot.Series[], withLabels: boolean, fixedMax?: number) =>
      new uPlot(
        {
          width,
          height,
          legend: { show: false },
          cursor: { drag: { x: false, y: false }, sync },
          scales: { x: { time: false, range }, y: { range: (_u, _min, max) => [0, Math.max(1, (fixedMax ?? max) * headroom)] } },
          axes,
          series: [{}, ...series],
          hooks: { draw: [(u) => drawOverlay(u, withLabels)] },
        },
        [[]],
        host,
      );
    const main = plot(mainHost, options.small ? 130 : 230, 1.08, [{ ...xAxis(), label: undefined, size: 28 }, yAxis(names.some((name) => name.startsWith('dynamodb.')) ? 'per second' : 'count')], [...ghostSeries, ...limitSeries, ...ownSeries], true, options.scale?.y);
    const errorSeries: uPlot.Series = { label: ERRORS, stroke: colours.errors, width: 1.5, fill: faded(colours.errors, 0.15), points: { show: false } };
    const pinnedErrors: uPlot.Series[] = ghost ? [{ label: 'pinned errors', stroke: faded(colours.errors, 0.4), width: 1.5, points: { show: false } }] : [];
    const strip = plot(stripHost, options.small ? 70 : 110, 1.1, [xAxis(), { ...yAxis('errors /s'), stroke: colours.errors }], [...pinnedErrors, errorSeries], false, options.scale?.errors);
    plots = [main, strip];
    draw();
  }

  function draw(): void {
    frame = 0;
    if (!setup || plots.length < 2) return;
    const names = setup.series.map((series) => series.name);
    const limitName = setup.limit?.name;
    const { x, current, pinned } = columns([...names, ...(limitName ? [limitName] : []), ERRORS]);
    const limitColumn = limitName ? [current[names.length]!.map((value, i) => value ?? limitValue() ?? (i === 0 ? 0 : null))] : [];
    const errorsIndex = names.length + (limitName ? 1 : 0);
    plots[0]!.setData([x, ...pinned.slice(0, names.length), ...limitColumn, ...current.slice(0, names.length).reverse()] as uPlot.AlignedData);
    plots[1]!.setData([x, ...(ghost ? [pinned[errorsIndex]!] : []), current[errorsIndex]!] as uPlot.AlignedData);
    renderLegend();
    renderMarkers();
  }
  const scheduleDraw = () => {
    frame ||= requestAnimationFrame(draw);
  };

  const resize = new ResizeObserver(() => {
    const width = Math.max(parent.clientWidth - 8, 240);
    for (const plot of plots) plot.setSize({ width, height: plot.height });
  });
  resize.observe(parent);
  // The theme may change after a run: the canvas keeps the colours it was drawn with unless it is drawn again.
  const rebuildInTheme = () => {
    colours = readColours();
    build();
  };
  const themeObserver = new MutationObserver(rebuildInTheme);
  themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  scheme.addEventListener('change', rebuildInTheme);

  return {
    reset(next, pinned) {
      setup = next;
      ghost = pinned;
      samples = [];
      colours = readColours();
      build();
    },
    add(sample) {
      samples.push(sample);
      scheduleDraw();
    },
    recorded: () => ({ samples: [...samples] }),
    markers,
    destroy() {
      resize.disconnect();
      themeObserver.disconnect();
      scheme.removeEventListener('change', rebuildInTheme);
      if (frame) cancelAnimationFrame(frame);
      for (const plot of plots) plot.destroy();
    },
  };
}

/**
 * Each variant's run as a small chart, side by side on one scale (the largest value of any run), so
 * the variants compare at a glance beside their table; each chart is an image with its label.
 */
export function createSmallCharts(parent: HTMLElement, setup: ChartSetup, runs: { label: string; run: RecordedRun }[]): { destroy(): void } {
  const names = [...setup.series.map((series) => series.name), ...(setup.limit ? [setup.limit.name] : [])];
  const largest = (pick: (sample: ChartSample) => number) => Math.max(0, ...runs.flatMap(({ run }) => run.samples.map(pick)));
  const scale: SharedScale = {
    y: largest((sample) => Math.max(0, ...names.map((name) => sample.values[name] ?? 0))),
    errors: largest((sample) => sample.values[ERRORS] ?? 0),
  };
  const charts = runs.map(({ label, run }) => {
    const figure = element('figure', 'small-chart');
    const caption = Object.assign(element('figcaption', 'small-chart-label'), { textContent: label });
    const host = element('div', 'chart');
    host.setAttribute('role', 'img');
    host.setAttribute('aria-label', `${label}: ${setup.series.map((series) => series.label).join(', ')} and errors over the run, on one scale with the other variants: 0 to ${formatNumber(scale.y)}`);
    figure.append(caption, host);
    parent.append(figure);
    const chart = createChart(host, { small: true, scale });
    chart.reset(setup);
    for (const sample of run.samples) chart.add(sample);
    return chart;
  });
  return { destroy: () => charts.forEach((chart) => chart.destroy()) };
}
