import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Linux's clock ticks per second (`getconf CLK_TCK`): 100 on every kernel configuration Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system, all threads) a process has used so far, from `/proc/<pid>/stat`;
 * undefined where there is no /proc (not Linux) or the process is gone.
 */
export function cpuSecondsOf(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/** CPU seconds each labelled process used between `start()` and `stop()`; this process's own under `self`. */
export class CpuMeter {
  private before = new Map<string, number>();
  private selfBefore = process.cpuUsage();

  constructor(private readonly pids: () => Record<string, number>) {}

  start(): void {
    this.selfBefore = process.cpuUsage();
    this.before = new Map();
    for (const [label, pid] of Object.entries(this.pids())) {
      const seconds = cpuSecondsOf(pid);
      if (seconds !== undefined) this.before.set(label, seconds);
    }
  }

  stop(): Record<string, number> {
    const self = process.cpuUsage(this.selfBefore);
    const used: Record<string, number> = { self: (self.user + self.system) / 1e6 };
    for (const [label, pid] of Object.entries(this.pids())) {
      const before = this.before.get(label);
      const now = cpuSecondsOf(pid);
      if (before !== undefined && now !== undefined) used[label] = now - before;
    }
    return used;
  }
}

/**
 * The process id of the Redis server `redisUrl` reaches when it runs on this machine (`pidof
 * redis-server`, several told apart by the port on their command line); undefined when it runs
 * elsewhere or cannot be told (its CPU then goes unmeasured).
 */
export function localRedisPid(redisUrl: string): number | undefined {
  const url = new URL(redisUrl);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname)) return undefined;
  const port = url.port || '6379';
  let pids: number[];
  try {
    pids = execFileSync('pidof', ['redis-server'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split(/\s+/).map(Number);
  } catch {
    return undefined;
  }
  if (pids.length === 1) return pids[0];
  const listening = pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((arg) => arg.endsWith(`:${port}`));
    } catch {
      return false;
    }
  });
  return listening.length === 1 ? listening[0] : undefined;
}
