import type { Schedule } from './model';

/*
 * When a scheduled re-check runs: daily or weekly at a wall-clock time in the schedule's time zone (so 09:00 Seoul
 * stays 09:00 Seoul, and 09:00 Berlin follows daylight saving). A local time that does not exist that day (skipped
 * by a daylight-saving change) runs at the first minute after the gap. A run missed while the browser was closed is
 * due at once: `isDue` is true from the planned time on, however late.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock date and time at `ms` in `timeZone`. */
function wallClock(ms: number, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** The zone's offset from UTC at `ms`, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/** The instant a wall-clock time happens in `timeZone` (after a gap when it does not exist that day). */
function instantOf(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const first = asUtc - offsetAt(asUtc, timeZone);
  const second = asUtc - offsetAt(first, timeZone);
  if (second === first) return first;
  // Two offsets disagree: either an ambiguous hour (take the earlier instant) or a gap (take the later one).
  const t = Math.min(first, second);
  const w = wallClock(t, timeZone);
  return w.hour === hour && w.minute === minute ? t : Math.max(first, second);
}

/** The first scheduled instant strictly after `after`; undefined when the schedule is off. */
export function nextRunAfter(schedule: Schedule, after: number): number | undefined {
  if (schedule.every === 'off') return undefined;
  const [hour, minute] = schedule.time.split(':').map(Number) as [number, number];
  const today = wallClock(after, schedule.timeZone);
  for (let k = 0; k <= 8; k++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + k));
    if (schedule.every === 'weekly' && date.getUTCDay() !== schedule.weekday) continue;
    const t = instantOf(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      hour,
      minute,
      schedule.timeZone,
    );
    if (t > after) return t;
  }
  return undefined;
}

/** A planned run is due from its time on (a run missed while the browser was closed runs at the next start). */
export const isDue = (nextDueAt: number | undefined, now: number): boolean =>
  nextDueAt !== undefined && nextDueAt <= now;

/** The browser's time zone (the schedule form's default). */
export const localTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
