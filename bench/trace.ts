/*
 * Long main-thread tasks of one page, from a Chromium trace (puppeteer's page.tracing), split by who ran in them:
 * tasks that ran the content script's code (a script event from a chrome-extension:// URL, outside a rendering
 * step) and the others (the page's own parsing, and the browser's rendering steps: style and layout after a change,
 * with the observers' callbacks). The Long Tasks API the page sees
 * cannot tell them apart.
 */

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, where the platform records it. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; stackTrace?: { url?: string }[] } };
}

export interface LongTask {
  /** ms after the first task of the thread in the trace. */
  start: number;
  dur: number;
  /** The task's CPU time on its thread (ms): its wall time minus the time the busy machine ran other threads. */
  cpu: number;
  /**
   * Time in the content script's own code inside the task (ms), with any style or layout it forced. A rendering
   * task that only ran its ResizeObserver or IntersectionObserver callbacks is the browser's (its script ≈ 0).
   */
  script: number;
  style: number;
  layout: number;
  contentScript: boolean;
}

const SCRIPT_EVENTS = new Set(['FunctionCall', 'EvaluateScript', 'TimerFire', 'FireAnimationFrame', 'EventDispatch']);

function fromExtension(e: TraceEvent): boolean {
  const data = e.args?.data;
  return !!data && (data.url?.startsWith('chrome-extension://') ?? false);
}

/** Whether `e` ran inside one of the `scripts` events (a style or layout the script forced). */
function nestedInScript(e: TraceEvent, scripts: TraceEvent[]): boolean {
  return scripts.some((s) => e.ts >= s.ts && e.ts < s.ts + (s.dur ?? 0));
}

/** The page's main thread: the renderer main thread that ran the content script. */
export function longTasks(trace: { traceEvents: TraceEvent[] }, thresholdMs = 50): LongTask[] {
  const events = trace.traceEvents;
  const mains = new Set(
    events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const counts = new Map<string, number>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (mains.has(key) && SCRIPT_EVENTS.has(e.name) && fromExtension(e)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const thread = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!thread) return [];
  const own = events.filter((e) => `${e.pid}:${e.tid}` === thread && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  const tasks = own.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const t0 = tasks[0]?.ts ?? 0;
  const out: LongTask[] = [];
  for (const task of tasks) {
    const dur = (task.dur ?? 0) / 1000;
    if (dur < thresholdMs) continue;
    const end = task.ts + (task.dur ?? 0);
    const inside = own.filter((e) => e !== task && e.ts >= task.ts && e.ts < end);
    const sum = (names: string[], pick: (e: TraceEvent) => boolean = () => true) =>
      inside.filter((e) => names.includes(e.name) && pick(e)).reduce((s, e) => s + (e.dur ?? 0) / 1000, 0);
    const cs = inside.filter((e) => SCRIPT_EVENTS.has(e.name) && fromExtension(e));
    out.push({
      start: (task.ts - t0) / 1000,
      dur,
      cpu: (task.tdur ?? task.dur ?? 0) / 1000,
      script: sum(['FunctionCall', 'EvaluateScript'], fromExtension),
      style: sum(['UpdateLayoutTree']),
      layout: sum(['Layout']),
      contentScript: cs.length > 0 && !inside.some((e) => e.name === 'UpdateLayoutTree' && !nestedInScript(e, cs)),
    });
  }
  return out;
}

/** Categories for page.tracing.start: top-level tasks, script, style and layout. */
export const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline'];
