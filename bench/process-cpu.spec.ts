import { Worker } from 'node:worker_threads';
import { cpuSecondsOf, CpuMeter, localRedisPid, mainThreadCpuSecondsOf } from './process-cpu';

function spin(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) Math.sqrt(Math.random());
}

describe('process CPU accounting', () => {
  it('reads this process’s CPU seconds from /proc and sees them grow while it computes', () => {
    const before = cpuSecondsOf(process.pid);
    expect(before).toBeGreaterThan(0);
    spin(300);
    const after = cpuSecondsOf(process.pid) as number;
    // Ticks are 10 ms: 300 ms of spinning shows as at least 0.2 s even on a busy machine.
    expect(after - (before as number)).toBeGreaterThanOrEqual(0.2);
  });

  it('answers undefined for a process that does not exist', () => {
    expect(cpuSecondsOf(2 ** 31 - 2)).toBeUndefined();
  });

  it('meters labelled processes and itself between start and stop', () => {
    const meter = new CpuMeter(() => ({ me: process.pid, gone: 2 ** 31 - 2 }));
    meter.start();
    spin(250);
    const used = meter.stop();
    expect(used.me).toBeGreaterThanOrEqual(0.15);
    expect(used.self).toBeGreaterThanOrEqual(0.15);
    expect(used.gone).toBeUndefined();
  });
});

describe('main-thread CPU accounting', () => {
  it('counts a worker thread’s spinning in the process but not in its main thread', async () => {
    const meter = new CpuMeter(() => ({ me: process.pid }));
    meter.start();
    const mainBefore = mainThreadCpuSecondsOf(process.pid) as number;
    const thread = new Worker('const until = Date.now() + 400; while (Date.now() < until) Math.sqrt(Math.random());', { eval: true });
    await new Promise((resolve) => thread.once('exit', resolve));
    spin(100);
    const { processes, mainThreads } = meter.stopWithThreads();
    const mainAfter = mainThreadCpuSecondsOf(process.pid) as number;

    expect(processes.me).toBeGreaterThanOrEqual(0.35);
    expect(mainThreads.me).toBeGreaterThanOrEqual(0.05);
    // The thread's 400 ms of spinning are not the main thread's (which mostly waited for it).
    expect((processes.me as number) - (mainThreads.me as number)).toBeGreaterThanOrEqual(0.25);
    expect(mainAfter - mainBefore).toBeCloseTo(mainThreads.me as number, 1);
  });
});

describe('localRedisPid', () => {
  it('answers nothing for a Redis on another host', () => {
    expect(localRedisPid('redis://redis.plant.example:6379')).toBeUndefined();
  });

  it('finds the Redis server of this machine', () => {
    // The tests' Redis runs here (127.0.0.1:6379), as the README's set-up has it.
    const pid = localRedisPid('redis://127.0.0.1:6379');
    expect(pid).toBeGreaterThan(0);
    expect(cpuSecondsOf(pid as number)).toBeGreaterThanOrEqual(0);
  });
});
