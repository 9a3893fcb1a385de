/*
 * `npm run lint:firefox`: builds the Firefox add-on the way a release is built and
 * runs Mozilla's linter (`web-ext lint`, the same checks AMO runs on upload,
 * offline) on it. Fails on any error or notice, and on any warning that README
 * ("Firefox → web-ext lint") does not explain: a new warning must be fixed or
 * explained there and listed below.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

interface LintMessage {
  code: string;
  file?: string;
  line?: number;
  column?: number;
  message: string;
}
interface LintReport {
  errors: LintMessage[];
  notices: LintMessage[];
  warnings: LintMessage[];
}

/**
 * Warnings README explains, recognised by the flagged code itself (not by file
 * name, which changes as chunks move): any other warning fails the lint.
 */
const EXPLAINED: { code: string; at: RegExp; why: string }[] = [
  {
    code: 'DANGEROUS_EVAL',
    at: /^(new )?Function\((``|""|'')\)/,
    why: "zod's eval probe `Function('')`; jitless mode means it never runs",
  },
  {
    code: 'UNSAFE_VAR_ASSIGNMENT',
    at: /^\w+\.innerHTML=\w+\.__html/,
    why: "Preact's dangerouslySetInnerHTML support; Channel Desk never uses it",
  },
];

function explanation(w: LintMessage, sourceDir: string): string | null {
  if (!w.file || !w.line || !w.column) return null;
  const line = fs.readFileSync(path.join(sourceDir, w.file), 'utf8').split('\n')[w.line - 1] ?? '';
  const at = line.slice(w.column - 1);
  return EXPLAINED.find((e) => e.code === w.code && e.at.test(at))?.why ?? null;
}

const outDir = path.join(ROOT, '.output', 'lint-firefox');
fs.rmSync(outDir, { recursive: true, force: true });
execFileSync('npx', ['wxt', 'build', '-b', 'firefox'], {
  cwd: ROOT,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, CHANNEL_DESK_OUT_DIR: outDir },
});
const sourceDir = path.join(outDir, 'firefox-mv3');

let raw: string;
try {
  raw = execFileSync(
    'npx',
    ['web-ext', 'lint', '--source-dir', sourceDir, '--output', 'json', '--no-config-discovery'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1' }, // offline: no version check
    },
  );
} catch (err) {
  // web-ext exits non-zero when there are errors; the JSON report is still on stdout.
  raw = String((err as { stdout?: string }).stdout ?? '');
}
const report = JSON.parse(raw) as LintReport;

const unexplained = report.warnings.filter((w) => explanation(w, sourceDir) === null);
const show = (m: LintMessage) => `  ${m.code} ${m.file ?? ''}: ${m.message}`;

console.log(
  `web-ext lint ${path.relative(ROOT, sourceDir)}: ${report.errors.length} errors, ` +
    `${report.notices.length} notices, ${report.warnings.length} warnings`,
);
for (const w of report.warnings)
  if (!unexplained.includes(w)) console.log(`${show(w)}  (explained: ${explanation(w, sourceDir)})`);
// The innerHTML explanation holds only while our own code never uses dangerouslySetInnerHTML.
const innerHtmlUsers = ['components', 'entrypoints', 'lib']
  .flatMap((dir) =>
    (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]).map((f) => path.join(dir, f)),
  )
  .filter(
    (f) => /\.(tsx?|jsx?)$/.test(f) && fs.readFileSync(path.join(ROOT, f), 'utf8').includes('dangerouslySetInnerHTML'),
  )
  .map((f) => ({
    code: 'DANGEROUSLY_SET_INNER_HTML',
    file: f,
    message: 'README says Channel Desk never uses dangerouslySetInnerHTML',
  }));
const failures = [...report.errors, ...report.notices, ...unexplained, ...innerHtmlUsers];
fs.rmSync(outDir, { recursive: true, force: true });
if (failures.length > 0) {
  console.error('Not allowed (fix it, or explain the warning in README and scripts/lint-firefox.ts):');
  for (const f of failures) console.error(show(f));
  process.exit(1);
}
