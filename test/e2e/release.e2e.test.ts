import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './build';

/*
 * `npm run release` as a manager runs it (scripts/release.ts). It lives with the
 * e2e suite because a release builds both browsers. The "last tag" comes from a
 * scratch git repository (GIT_DIR), so the test does not depend on this repo's tags.
 */
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** A git repository whose newest tag `v<version>` has package.json at `version`. */
function tagRepo(version: string): string {
  const dir = tempDir('channel-desk-tag-');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
      cwd: dir,
      stdio: 'ignore',
    });
  git('init', '-q');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version }));
  git('add', '-A');
  git('commit', '-qm', 'release');
  git('tag', `v${version}`);
  return path.join(dir, '.git');
}

function release(env: Record<string, string | undefined>) {
  const releaseDir = tempDir('channel-desk-release-');
  const { WXT_KAKAO_API_ORIGIN: _unset, ...base } = process.env;
  const result = spawnSync('npm', ['run', 'release'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...base, RELEASE_DIR: releaseDir, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, releaseDir };
}

describe('npm run release', () => {
  it('refuses a build against the simulator, saying why, and packages nothing', () => {
    const run = release({ WXT_KAKAO_API_ORIGIN: 'http://127.0.0.1:8123', GIT_DIR: tagRepo('0.0.0') });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('npm run release refused');
    expect(run.stderr).toContain('The build would talk to http://127.0.0.1:8123, not https://kapi.kakao.com');
    expect(fs.readdirSync(run.releaseDir)).toEqual([]);
  });

  it('refuses a version not bumped since the last tag', () => {
    const run = release({ GIT_DIR: tagRepo(pkg.version) });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`Version ${pkg.version} was not bumped since the last tag v${pkg.version}`);
    expect(fs.readdirSync(run.releaseDir)).toEqual([]);
  });

  // Two builds, three zips and web-ext lint: the one slow test here.
  it('packages the Chrome zip, the Firefox zip and the sources zip, with checksums', { timeout: 300_000 }, async () => {
    const run = release({ GIT_DIR: tagRepo('0.0.0') });
    expect(run.stderr).not.toContain('refused');
    expect(run.status).toBe(0);
    const names = ['chrome', 'firefox', 'sources'].map((kind) => `${pkg.name}-${pkg.version}-${kind}.zip`);
    expect(fs.readdirSync(run.releaseDir).sort()).toEqual([...names, 'SHA256SUMS'].sort());

    // SHA256SUMS in `sha256sum -c` form, matching the files.
    const sums = fs.readFileSync(path.join(run.releaseDir, 'SHA256SUMS'), 'utf8');
    for (const name of names) {
      const hash = crypto
        .createHash('sha256')
        .update(fs.readFileSync(path.join(run.releaseDir, name)))
        .digest('hex');
      expect(sums).toContain(`${hash}  ${name}\n`);
    }

    for (const name of names.slice(0, 2)) {
      const zip = await JSZip.loadAsync(fs.readFileSync(path.join(run.releaseDir, name)));
      const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as {
        version: string;
        host_permissions: string[];
        icons: Record<string, string>;
        action: { default_icon: Record<string, string> };
      };
      expect(manifest.version).toBe(pkg.version);
      expect(manifest.host_permissions).toEqual(['https://kapi.kakao.com/*']);
      for (const size of ['16', '32', '48', '128']) expect(zip.file(manifest.icons[size]!), size).not.toBeNull();
      for (const icon of Object.values(manifest.action.default_icon)) expect(zip.file(icon)).not.toBeNull();
      // The API origin compiled in is Kakao's, not a simulator's.
      const code = await Promise.all(
        Object.values(zip.files)
          .filter((f) => f.name.endsWith('.js'))
          .map((f) => f.async('string')),
      );
      expect(code.some((js) => js.includes('https://kapi.kakao.com'))).toBe(true);
      expect(code.some((js) => js.includes('http://127.0.0.1:'))).toBe(false);
    }

    const sources = await JSZip.loadAsync(fs.readFileSync(path.join(run.releaseDir, names[2]!)));
    for (const file of ['package.json', 'package-lock.json', 'wxt.config.ts', 'assets/icon.svg', 'README.md'])
      expect(sources.file(file), file).not.toBeNull();
    expect(Object.keys(sources.files).filter((f) => /^(node_modules|\.output|release)\//.test(f))).toEqual([]);

    // The script lints the Firefox zip itself (scripts/release.ts webExtLintErrors) and refuses on any error.
    expect(run.stdout).toContain('web-ext lint (Firefox zip): 0 errors');
  });
});
