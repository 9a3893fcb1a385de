import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareVersions, lastTag, releaseProblems, type ReleaseFacts } from '../../scripts/release';

// `npm run release` (scripts/release.ts): when it refuses. test/e2e/release.e2e.test.ts runs the script itself.
const ok: ReleaseFacts = {
  apiOriginSetting: undefined,
  version: '1.2.0',
  lastTag: { tag: 'v1.1.3', version: '1.1.3' },
  changelog: '# Changelog\n\n## [1.2.0] - 2026-11-30\n\n### Added\n- things\n',
};

describe('releaseProblems', () => {
  it('a bumped version with its changelog entry, built for kapi.kakao.com, may be released', () => {
    expect(releaseProblems(ok)).toEqual([]);
    expect(releaseProblems({ ...ok, apiOriginSetting: 'https://kapi.kakao.com/' })).toEqual([]);
    expect(releaseProblems({ ...ok, lastTag: null })).toEqual([]); // the first release
  });

  it.each(['http://127.0.0.1:8123', 'https://kapi.kakao.com.example.net', 'ftp://kapi.kakao.com', 'not a url'])(
    'refuses a build against %s, naming the variable to unset',
    (origin) => {
      const [problem, ...rest] = releaseProblems({ ...ok, apiOriginSetting: origin });
      expect(rest).toEqual([]);
      expect(problem).toMatch(/not https:\/\/kapi\.kakao\.com.*Unset WXT_KAKAO_API_ORIGIN/);
    },
  );

  it('refuses a version not bumped since the last tag', () => {
    for (const version of ['1.1.3', '1.1.2', '0.9.9']) {
      const problems = releaseProblems({
        ...ok,
        version,
        changelog: `## [${version}] - 2026-11-30`,
      });
      expect(problems).toEqual([expect.stringMatching(`Version ${version} was not bumped since the last tag v1.1.3`)]);
    }
  });

  it('refuses a version that is not plain semver, and a missing changelog entry', () => {
    expect(releaseProblems({ ...ok, version: '1.2', changelog: '## [1.2]' })).toEqual([
      expect.stringContaining('not a plain semantic version'),
    ]);
    expect(releaseProblems({ ...ok, changelog: '## [1.1.3]' })).toEqual([
      'CHANGELOG.md has no "## [1.2.0]" entry: add this release\'s changes.',
    ]);
  });

  it('compares versions by number, not text', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1);
    expect(compareVersions('1.2.3', '1.2.3')).toBe(0);
    expect(compareVersions('0.1.0', '0.1.1')).toBe(-1);
  });
});

describe('lastTag', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  function repo(): { dir: string; commit: (version: string, tag?: string) => void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-desk-tags-'));
    dirs.push(dir);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
        cwd: dir,
        stdio: 'ignore',
      });
    git('init', '-q');
    return {
      dir,
      commit(version, tag) {
        fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version }));
        git('add', '-A');
        git('commit', '--allow-empty', '-qm', version);
        if (tag) git('tag', tag);
      },
    };
  }

  it('is null before the first tag, then the newest tag with its package.json version', () => {
    const r = repo();
    r.commit('0.1.0');
    expect(lastTag(r.dir)).toBeNull();
    r.commit('0.1.0', 'v0.1.0');
    r.commit('0.2.0', 'release-2'); // the version comes from package.json at the tag, not its name
    r.commit('0.3.0');
    expect(lastTag(r.dir)).toEqual({ tag: 'release-2', version: '0.2.0' });
  });
});
