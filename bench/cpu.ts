import fs from 'node:fs';

/*
 * CPU time (user + system) the browser's processes and this Node process (puppeteer and the simulator) used during a
 * job, from /proc (Linux): a figure that moves much less with the machine's load than wall time does.
 */

const TICK_MS = 10; // USER_HZ = 100 on Linux

type Kind = 'extension' | 'network' | 'browser' | 'other';

function kindOf(cmdline: string): Kind {
  if (cmdline.includes('--extension-process')) return 'extension';
  if (cmdline.includes('network.mojom.NetworkService')) return 'network';
  return cmdline.includes('--type=') ? 'other' : 'browser';
}

function procStat(pid: number): { ppid: number; ticks: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is state (field 3): ppid is field 4, utime 14, stime 15
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** CPU ms by process kind of the browser whose root process is `rootPid` (itself and its descendants). */
export function browserCpu(rootPid: number): Record<Kind, number> {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = procStat(pid);
    if (s) stats.set(pid, s);
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 10; hops++) {
      if (p === rootPid) return true;
      p = stats.get(p)?.ppid ?? 0;
    }
    return false;
  };
  const out: Record<Kind, number> = { extension: 0, network: 0, browser: 0, other: 0 };
  for (const [pid, s] of stats) {
    if (!inTree(pid)) continue;
    let cmd = '';
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    out[kindOf(cmd)] += s.ticks * TICK_MS;
  }
  return out;
}

/** This Node process's CPU ms (puppeteer's CDP traffic, the heap sampler and the simulator). */
export const nodeCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
