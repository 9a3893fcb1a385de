/** One line of the benchmark table: a measured figure next to its ideal. */
export interface BenchRow {
  /** The browser the scenario ran in (`chromium`, `firefox`); set by run.ts. */
  browser?: string;
  scenario: string;
  metric: string;
  /** NaN where the browser cannot measure it (the metric says why); null in latest.json. */
  measured: number;
  /** The best possible figure (or the budget, for sizes); null where no ideal exists. */
  ideal: number | null;
  unit: string;
  note?: string;
}

function ratio(row: BenchRow): number | null {
  if (Number.isNaN(row.measured)) return null;
  if (row.ideal === null || row.ideal === 0) return row.ideal === 0 && row.measured === 0 ? 1 : null;
  return row.measured / row.ideal;
}

function fmt(n: number, unit: string): string {
  if (Number.isNaN(n)) return 'n/a';
  if (unit === 'ms' || unit === 'KB' || unit === 'MB') return `${n.toFixed(n >= 100 ? 0 : 1)} ${unit}`;
  if (unit === '×') return `${n.toFixed(2)}×`;
  return `${Math.round(n).toLocaleString('en-US')}${unit ? ` ${unit}` : ''}`;
}

/** A fixed-width table for the terminal (and README). Ratios above 1.15 are flagged. */
export function formatTable(rows: BenchRow[]): string {
  const header = ['browser', 'scenario', 'metric', 'measured', 'ideal', 'ratio'];
  const lines = rows.map((r) => {
    const q = ratio(r);
    return [
      r.browser ?? '—',
      r.scenario,
      r.metric,
      fmt(r.measured, r.unit),
      r.ideal === null ? '—' : fmt(r.ideal, r.unit),
      q === null ? '—' : `${q.toFixed(2)}${q > 1.15 ? ' !' : ''}`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const table = [row(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(row)].join('\n');
  const flagged = rows.filter((r) => (ratio(r) ?? 0) > 1.15 && r.note);
  if (flagged.length === 0) return table;
  return [
    table,
    '',
    'Why a ratio is above 1.15:',
    ...flagged.map((r) => `- ${r.browser ? `${r.browser}: ` : ''}${r.scenario} / ${r.metric}: ${r.note}`),
  ].join('\n');
}
