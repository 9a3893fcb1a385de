/*
 * `npm run release`: the store packages, into release/ (git-ignored):
 *   channel-desk-<version>-chrome.zip   Chrome Web Store (and Edge Add-ons: Edge installs the Chrome build)
 *   channel-desk-<version>-firefox.zip  Firefox Add-ons (AMO)
 *   channel-desk-<version>-sources.zip  the sources AMO asks for (built with `npm ci && npm run build:firefox`)
 *   SHA256SUMS                          `sha256sum -c SHA256SUMS` checks them
 *
 * It refuses (exit 1, saying why) to package a build that would not talk to Kakao:
 * an API origin other than https://kapi.kakao.com (WXT_KAKAO_API_ORIGIN, also from
 * a .env file: the built manifests are checked too), a version not bumped since the
 * last git tag, a version that is not plain semver, or a CHANGELOG.md without the
 * version's entry. The Firefox zip must pass `web-ext lint` with 0 errors.
 *
 * RELEASE_DIR overrides the output folder (the tests write to a temporary one).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import { apiHostPermission, resolveApiOrigin } from '../lib/kakao/origin';

const ROOT = path.resolve(import.meta.dirname, '..');
const RELEASE_API_ORIGIN = 'https://kapi.kakao.com';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** -1, 0 or 1; both must be plain `x.y.z`. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
  return 0;
}

export interface ReleaseFacts {
  /** WXT_KAKAO_API_ORIGIN as the build would see it (undefined: the default). */
  apiOriginSetting: string | undefined;
  version: string;
  /** The newest tag reachable from HEAD and the package.json version at it, or null before the first release. */
  lastTag: { tag: string; version: string } | null;
  changelog: string;
}

/** Why this release must not be packaged; empty when it may. Each line says what to do. */
export function releaseProblems(facts: ReleaseFacts): string[] {
  const problems: string[] = [];
  let origin: string;
  try {
    origin = resolveApiOrigin(facts.apiOriginSetting);
  } catch (err) {
    origin = String((err as Error).message);
  }
  if (origin !== RELEASE_API_ORIGIN)
    problems.push(
      `The build would talk to ${origin}, not ${RELEASE_API_ORIGIN}: a store package must talk to Kakao. ` +
        'Unset WXT_KAKAO_API_ORIGIN (environment or .env files) and run npm run release again.',
    );
  if (!SEMVER.test(facts.version))
    problems.push(
      `package.json version "${facts.version}" is not a plain semantic version (x.y.z, as both stores accept it).`,
    );
  else if (
    facts.lastTag &&
    SEMVER.test(facts.lastTag.version) &&
    compareVersions(facts.version, facts.lastTag.version) <= 0
  )
    problems.push(
      `Version ${facts.version} was not bumped since the last tag ${facts.lastTag.tag} ` +
        `(version ${facts.lastTag.version}): raise "version" in package.json (npm version patch|minor|major) ` +
        'and add its CHANGELOG.md entry.',
    );
  if (!new RegExp(`^## \\[${facts.version.replace(/\./g, '\\.')}\\]`, 'm').test(facts.changelog))
    problems.push(`CHANGELOG.md has no "## [${facts.version}]" entry: add this release's changes.`);
  return problems;
}

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** The newest tag reachable from HEAD, with the version its package.json had (else the tag name without "v"). */
export function lastTag(cwd: string): { tag: string; version: string } | null {
  const tag = git(['describe', '--tags', '--abbrev=0'], cwd);
  if (!tag) return null;
  const pkg = git(['show', `${tag}:package.json`], cwd);
  let version = tag.replace(/^v/, '');
  try {
    if (pkg) version = String((JSON.parse(pkg) as { version?: unknown }).version ?? version);
  } catch {
    // a tag without a readable package.json: its name says the version
  }
  return { tag, version };
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** What a built manifest must say for a store; a list of what is wrong. */
function manifestProblems(manifest: Record<string, unknown>, version: string, label: string): string[] {
  const problems: string[] = [];
  const hosts = manifest.host_permissions as string[] | undefined;
  const expected = apiHostPermission(RELEASE_API_ORIGIN);
  if (JSON.stringify(hosts) !== JSON.stringify([expected]))
    problems.push(`${label}: host_permissions are ${JSON.stringify(hosts)}, not ["${expected}"] (a test build?)`);
  if (manifest.version !== version)
    problems.push(`${label}: manifest version ${String(manifest.version)} ≠ ${version}`);
  const icons = (manifest.icons ?? {}) as Record<string, string>;
  for (const size of ['16', '32', '48', '128']) if (!icons[size]) problems.push(`${label}: no ${size} px icon`);
  if (!(manifest.action as { default_icon?: unknown } | undefined)?.default_icon)
    problems.push(`${label}: no action.default_icon`);
  return problems;
}

async function unzipTo(zipFile: string, dir: string): Promise<void> {
  const zip = await JSZip.loadAsync(fs.readFileSync(zipFile));
  for (const entry of Object.values(zip.files)) {
    const target = path.join(dir, entry.name);
    if (!target.startsWith(dir + path.sep)) throw new Error(`unsafe path in ${zipFile}: ${entry.name}`);
    if (entry.dir) fs.mkdirSync(target, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, await entry.async('nodebuffer'));
    }
  }
}

/** `web-ext lint` (offline) on an add-on zip: its errors (warnings are scripts/lint-firefox.ts's business). */
async function webExtLintErrors(zipFile: string): Promise<{ code: string; message: string }[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-desk-lint-'));
  try {
    await unzipTo(zipFile, dir);
    let raw: string;
    try {
      raw = execFileSync('npx', ['web-ext', 'lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery'], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, NO_UPDATE_NOTIFIER: '1' },
      });
    } catch (err) {
      raw = String((err as { stdout?: string }).stdout ?? ''); // non-zero on errors; the report is still on stdout
    }
    return (JSON.parse(raw) as { errors: { code: string; message: string }[] }).errors;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function refuse(problems: string[]): never {
  console.error(`npm run release refused:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}

async function main() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const changelogFile = path.join(ROOT, 'CHANGELOG.md');
  const problems = releaseProblems({
    apiOriginSetting: process.env.WXT_KAKAO_API_ORIGIN,
    version: pkg.version,
    lastTag: lastTag(ROOT),
    changelog: fs.existsSync(changelogFile) ? fs.readFileSync(changelogFile, 'utf8') : '',
  });
  if (problems.length > 0) refuse(problems);

  const releaseDir = path.resolve(process.env.RELEASE_DIR ?? path.join(ROOT, 'release'));
  const buildDir = fs.mkdtempSync(path.join(ROOT, '.output', 'release-'));
  try {
    for (const browser of ['chrome', 'firefox'] as const) {
      console.log(`Building and zipping the ${browser} package…`);
      execFileSync('npx', ['wxt', 'zip', ...(browser === 'firefox' ? ['-b', 'firefox'] : [])], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, CHANNEL_DESK_OUT_DIR: buildDir },
      });
    }
    const built = [
      ...(['chrome', 'firefox'] as const).map((browser) => ({
        browser,
        manifest: path.join(buildDir, `${browser}-mv3`, 'manifest.json'),
      })),
    ];
    const manifestIssues = built.flatMap(({ browser, manifest }) =>
      manifestProblems(JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, unknown>, pkg.version, browser),
    );
    if (manifestIssues.length > 0) refuse(manifestIssues);

    const names = ['chrome', 'firefox', 'sources'].map((kind) => `${pkg.name}-${pkg.version}-${kind}.zip`);
    for (const name of names) if (!fs.existsSync(path.join(buildDir, name))) refuse([`the build produced no ${name}`]);

    const lintErrors = await webExtLintErrors(path.join(buildDir, names[1]!));
    if (lintErrors.length > 0) refuse(lintErrors.map((e) => `web-ext lint (Firefox zip): ${e.code} ${e.message}`));
    console.log('web-ext lint (Firefox zip): 0 errors');

    fs.rmSync(releaseDir, { recursive: true, force: true });
    fs.mkdirSync(releaseDir, { recursive: true });
    for (const name of names) fs.copyFileSync(path.join(buildDir, name), path.join(releaseDir, name));
    const sums = names.map((name) => `${sha256(path.join(releaseDir, name))}  ${name}\n`).join('');
    fs.writeFileSync(path.join(releaseDir, 'SHA256SUMS'), sums);
    console.log(`Release ${pkg.version} in ${path.relative(ROOT, releaseDir) || releaseDir}:\n${sums}`);
  } finally {
    fs.rmSync(buildDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
