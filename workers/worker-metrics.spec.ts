import { WorkerMetrics } from './worker-metrics';

describe('WorkerMetrics', () => {
  const snapshot = {
    models: [{ name: 'spi-defect-risk', version: '1.0.0', provider: 'cpu' }],
    jobs: { 'spi-defect-risk': { completed: 7, failed: 1 } },
    inference: { 'spi-defect-risk': { batches: 2, rows: 3000, lastBatchRows: 1000 } },
  };

  it('reports queue depth by state, jobs by queue and outcome, and the provider', () => {
    const text = new WorkerMetrics().render({ ...snapshot, queues: { 'spi-defect-risk': { waiting: 4, active: 2, delayed: 0, failed: 1 } } });
    expect(text).toContain('oig_worker_model_info{model="spi-defect-risk",version="1.0.0",provider="cpu"} 1');
    expect(text).toContain('oig_worker_jobs_total{queue="spi-defect-risk",outcome="completed"} 7');
    expect(text).toContain('oig_worker_jobs_total{queue="spi-defect-risk",outcome="failed"} 1');
    expect(text).toContain('oig_worker_queue_jobs{queue="spi-defect-risk",state="waiting"} 4');
    expect(text).toContain('oig_worker_queue_jobs{queue="spi-defect-risk",state="active"} 2');
    expect(text).toContain('oig_worker_queue_up 1');
  });

  it('says when queue depths could not be read rather than reporting zeros', () => {
    const text = new WorkerMetrics().render(snapshot);
    expect(text).toContain('oig_worker_queue_up 0');
    expect(text).not.toContain('oig_worker_queue_jobs{');
  });

  it('records inference latency and batch size, and job latency, as histograms', () => {
    const metrics = new WorkerMetrics();
    metrics.observeInference('spi-defect-risk', 1094, 0.0004);
    metrics.observeInference('spi-defect-risk', 20_000, 0.008);
    metrics.observeJob('spi-defect-risk', 'completed', 0.04);
    const text = metrics.render(snapshot);
    expect(text).toContain('oig_worker_inference_duration_seconds_bucket{model="spi-defect-risk",le="0.0005"} 1');
    expect(text).toContain('oig_worker_inference_duration_seconds_bucket{model="spi-defect-risk",le="0.01"} 2');
    expect(text).toContain('oig_worker_inference_duration_seconds_count{model="spi-defect-risk"} 2');
    expect(text).toContain('oig_worker_inference_batch_rows_bucket{model="spi-defect-risk",le="1024"} 0');
    expect(text).toContain('oig_worker_inference_batch_rows_bucket{model="spi-defect-risk",le="4096"} 1');
    expect(text).toContain('oig_worker_job_duration_seconds_bucket{queue="spi-defect-risk",outcome="completed",le="0.05"} 1');
  });
});
