import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Linux's clock ticks per second (`getconf CLK_TCK`): 100 on every kernel configuration Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system, all threads) a process has used so far, from `/proc/<pid>/stat`;
 * undefined where there is no /proc (not Linux) or the process is gone.
 */
export function cpuSecondsOf(pid: number): number | undefined {
  return readCpuSeconds(`/proc/${pid}/stat`);
}

/**
 * CPU seconds a process's main thread (the thread whose id is the process id: Node's event loop) has
 * used so far, from `/proc/<pid>/task/<pid>/stat`; undefined as for {@link cpuSecondsOf}.
 */
export function mainThreadCpuSecondsOf(pid: number): number | undefined {
  return readCpuSeconds(`/proc/${pid}/task/${pid}/stat`);
}

function readCpuSeconds(path: string): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(path, 'utf8');
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

/** What a {@link CpuMeter} measured, in CPU seconds by label. */
export interface MeteredCpu {
  /** Each process, all threads; this process's own under `self`. */
  readonly processes: Record<string, number>;
  /** Each process's main thread (its event loop) alone. */
  readonly mainThreads: Record<string, number>;
}

/** CPU seconds each labelled process used between `start()` and `stop()`; this process's own under `self`. */
export class CpuMeter {
  private before = new Map<string, number>();
  private mainBefore = new Map<string, number>();
  private selfBefore = process.cpuUsage();

  constructor(private readonly pids: () => Record<string, number>) {}

  start(): void {
    this.selfBefore = process.cpuUsage();
    this.before = new Map();
    this.mainBefore = new Map();
    for (const [label, pid] of Object.entries(this.pids())) {
      const seconds = cpuSecondsOf(pid);
      if (seconds !== undefined) this.before.set(label, seconds);
      const main = mainThreadCpuSecondsOf(pid);
      if (main !== undefined) this.mainBefore.set(label, main);
    }
  }

  /** CPU seconds of each process since `start()`, all threads. */
  stop(): Record<string, number> {
    return this.stopWithThreads().processes;
  }

  /** As `stop()`, with each process's main thread apart. */
  stopWithThreads(): MeteredCpu {
    const self = process.cpuUsage(this.selfBefore);
    const processes: Record<string, number> = { self: (self.user + self.system) / 1e6 };
    const mainThreads: Record<string, number> = {};
    for (const [label, pid] of Object.entries(this.pids())) {
      const before = this.before.get(label);
      const now = cpuSecondsOf(pid);
      if (before !== undefined && now !== undefined) processes[label] = now - before;
      const mainBefore = this.mainBefore.get(label);
      const mainNow = mainThreadCpuSecondsOf(pid);
      if (mainBefore !== undefined && mainNow !== undefined) mainThreads[label] = mainNow - mainBefore;
    }
    return { processes, mainThreads };
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
