import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { uiLang } from '@/lib/ui-lang';
import { fmt } from '../workspace/format';
import { TREND_RELATIONS, type TrendPoint, type TrendRelation } from './trend-data';

/*
 * The trend's line chart (uPlot, loaded only when an audience with two snapshots is open). Colours are the theme's
 * relation colours, read from the page so dark mode draws with its own; a change of the colour scheme redraws.
 * The canvas is hidden from screen readers: the numbers are in the table under it.
 */

const COLOUR_VAR: Record<TrendRelation, string> = { ADDED: '--ok', BLOCKED: '--bad', NONE: '--none' };
/** Dashes tell the lines apart without colour. */
const DASH: Record<TrendRelation, number[] | undefined> = { ADDED: undefined, BLOCKED: [8, 4], NONE: [2, 4] };
const FALLBACK: Record<string, string> = {
  '--ok': '#17803d',
  '--bad': '#c62828',
  '--none': '#6b7280',
  '--fg-soft': '#5b6170',
  '--border': '#d9dce3',
};

const HEIGHT = 220;
/** Room for one time label on the x axis, in CSS pixels. */
const TICK_WIDTH = 110;

/** A theme colour as the page has it now (theme.css sets them on :root, per colour scheme). */
function themeColour(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || FALLBACK[name]!;
}

function timeLabels(points: TrendPoint[]) {
  const span = points.length > 1 ? points[points.length - 1]!.takenAt - points[0]!.takenAt : 0;
  const f = new Intl.DateTimeFormat(
    uiLang() === 'ko' ? 'ko-KR' : 'en-US',
    span < 3_600_000
      ? { timeStyle: 'medium' }
      : span < 2 * 86_400_000
        ? { timeStyle: 'short' }
        : { month: 'short', day: 'numeric' },
  );
  return (_u: uPlot, splits: number[]) => splits.map((v) => f.format(v));
}

/** Ticks at the snapshots' times, thinned so their labels do not overlap (the newest is always labelled). */
function snapshotTicks(points: TrendPoint[]) {
  return (u: uPlot) => {
    const fit = Math.max(2, Math.floor((u.width - 80) / TICK_WIDTH));
    const step = Math.ceil(points.length / fit);
    const last = points.length - 1;
    return points.filter((_, i) => (last - i) % step === 0).map((p) => p.takenAt);
  };
}

function options(el: HTMLElement, points: TrendPoint[], labels: Record<TrendRelation, string>): uPlot.Options {
  const axis = themeColour('--fg-soft');
  const grid = themeColour('--border');
  const axisStyle = { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    width: Math.max(200, el.clientWidth),
    height: HEIGHT,
    ms: 1,
    legend: { show: false },
    // Room right of the plot for the newest snapshot's time label.
    padding: [12, 48, 0, 0],
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
    axes: [
      { ...axisStyle, values: timeLabels(points), splits: snapshotTicks(points) },
      { ...axisStyle, size: 56, values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? fmt(v) : '')) },
    ],
    series: [
      {},
      ...TREND_RELATIONS.map((r) => {
        const stroke = themeColour(COLOUR_VAR[r]);
        return {
          label: labels[r],
          stroke,
          width: 2,
          dash: DASH[r],
          points: { show: true, size: 7, stroke, fill: stroke },
        };
      }),
    ],
  };
}

/** The data uPlot draws: x = snapshot time (ms), then ADDED, BLOCKED, NONE. */
function chartData(points: TrendPoint[]): uPlot.AlignedData {
  return [points.map((p) => p.takenAt), ...TREND_RELATIONS.map((r) => points.map((p) => p.counts[r]))];
}

export function TrendChart({ points, labels }: { points: TrendPoint[]; labels: Record<TrendRelation, string> }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let plot: uPlot | null = null;
    const draw = () => {
      plot?.destroy();
      plot = new uPlot(options(el, points, labels), chartData(points), el);
      plot.root.setAttribute('aria-hidden', 'true');
    };
    draw();
    const resize = new ResizeObserver(() => {
      const width = Math.max(200, el.clientWidth);
      if (plot && plot.width !== width) plot.setSize({ width, height: HEIGHT });
    });
    resize.observe(el);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', draw);
    return () => {
      scheme.removeEventListener('change', draw);
      resize.disconnect();
      plot?.destroy();
    };
  }, [points, labels]);

  return <div ref={box} class="aud-trend-chart" data-testid="trend-chart" />;
}
