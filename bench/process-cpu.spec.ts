import { cpuSecondsOf, CpuMeter, localRedisPid } from './process-cpu';

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
