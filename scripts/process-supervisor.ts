import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One process that the supervisor runs. */
export interface ProcessSpec {
  /** Label shown before each line of its output. */
  label: string;
  /** The compiled entry point to run with node. */
  entry: string;
  args?: string[];
  env?: Record<string, string>;
  /** URL that answers 2xx once the process is ready. */
  healthUrl?: string;
}

const COLORS = [36, 35, 33, 32, 34, 31];

/**
 * Runs several node processes with one labelled log. If any exits on its own, the others are stopped
 * too; `stop()` sends SIGTERM to all and SIGKILL to any still running after a grace period.
 */
export class ProcessSupervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;
  private readonly expectedExits = new Set<string>();
  private readonly width: number;

  constructor(
    private readonly specs: readonly ProcessSpec[],
    private readonly onUnexpectedExit: (label: string, code: number | null) => void,
    /** Where labelled lines go. Default: standard output, coloured on a terminal. */
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {
    this.width = Math.max(...specs.map((spec) => spec.label.length), 'start'.length);
  }

  start(): void {
    this.specs.forEach((spec, i) => {
      const child = spawn(process.execPath, [spec.entry, ...(spec.args ?? [])], {
        env: { ...process.env, ...spec.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      this.children.set(spec.label, child);
      const color = COLORS[i % COLORS.length] ?? 36;
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on('line', (line) => this.print(spec.label, line, color));
      }
      child.on('exit', (code) => {
        this.children.delete(spec.label);
        if (!this.stopping && !this.expectedExits.delete(spec.label)) this.onUnexpectedExit(spec.label, code);
      });
    });
  }

  /** Waits until every process with a health URL answers 2xx, or throws after `timeoutMs`. */
  async waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const spec of this.specs) {
      if (!spec.healthUrl) continue;
      for (;;) {
        if (this.stopping) return;
        if (await answers(spec.healthUrl)) break;
        if (Date.now() > deadline) throw new Error(`${spec.label} did not become healthy at ${spec.healthUrl} in time`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  /** The process id of each running process, by label. */
  pids(): Record<string, number> {
    const pids: Record<string, number> = {};
    for (const [label, child] of this.children) if (child.pid !== undefined) pids[label] = child.pid;
    return pids;
  }

  log(line: string): void {
    this.print('start', line, 37);
  }

  /** Stops one process on purpose (tests use it to play an outage). */
  async stopOne(label: string): Promise<void> {
    const child = this.children.get(label);
    if (!child) return;
    this.expectedExits.add(label);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }

  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    const exits = [...this.children.values()].map(
      (child) => new Promise<void>((resolve) => child.once('exit', () => resolve())),
    );
    for (const child of this.children.values()) child.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const child of this.children.values()) child.kill('SIGKILL');
    }, graceMs);
    await Promise.all(exits);
    clearTimeout(timer);
  }

  private print(label: string, line: string, color: number): void {
    const tag = label.padEnd(this.width);
    const colored = process.stdout.isTTY ? `\u001b[${color}m${tag}\u001b[0m` : tag;
    this.write(`${colored} | ${line}`);
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
