import { describe, expect, it } from 'vitest';
import { startFeatures } from '@/lib/background/feature';

/* One background feature failing to start must not stop the others. */

describe('startFeatures', () => {
  it('starts every feature after one that throws, and reports that one by name without the key', () => {
    const started: string[] = [];
    const logged: string[] = [];
    const feature = (name: string, fail?: Error) => ({
      start() {
        if (fail) throw fail;
        started.push(name);
      },
    });
    const failed = startFeatures(
      {
        workspace: feature('workspace'),
        page: feature('page', new TypeError('storage said KakaoAK a1b2c3d4e5f60718293a4b5c6d7e8f90 is bad')),
        growth: feature('growth'),
        diagnose: feature('diagnose'),
      },
      (m) => logged.push(m),
    );
    expect(started).toEqual(['workspace', 'growth', 'diagnose']);
    expect(failed).toEqual(['page']);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('page');
    expect(logged[0]).toContain('TypeError');
    expect(logged[0]).not.toContain('a1b2c3d4e5f60718293a4b5c6d7e8f90');
  });

  it('reports nothing when every feature starts', () => {
    const logged: string[] = [];
    expect(startFeatures({ a: { start() {} }, b: { start() {} } }, (m) => logged.push(m))).toEqual([]);
    expect(logged).toEqual([]);
  });
});
