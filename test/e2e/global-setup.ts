import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT, buildExtension } from './build';
import { findChromium, findFirefox } from './browsers';

declare module 'vitest' {
  export interface ProvidedContext {
    simPort: number;
    chromeExtDir: string;
    /** The Firefox (MV3) build against the same simulator origin. */
    firefoxExtDir: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * Picks the simulator's port, then builds the extension once against
 * http://127.0.0.1:<port>. Each test file starts its own simulator on that port
 * (files run one at a time), so every file starts from a clean, seeded state.
 */
export default async function setup(project: TestProject) {
  findChromium(); // fail now, loudly, when no browser is installed
  findFirefox();
  const port = await freePort();
  // One folder per run, so parallel runs (several worktrees, a dev build) never share files.
  const outDir = path.join(ROOT, '.output', `e2e-${port}`);
  fs.rmSync(outDir, { recursive: true, force: true });
  const chromeExtDir = buildExtension('chrome', `http://127.0.0.1:${port}`, outDir);
  project.provide('simPort', port);
  project.provide('chromeExtDir', chromeExtDir);
  project.provide('firefoxExtDir', buildExtension('firefox', `http://127.0.0.1:${port}`, outDir));
  return () => fs.rmSync(outDir, { recursive: true, force: true });
}
