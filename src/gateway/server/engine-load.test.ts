import { describe, expect, it } from 'vitest';
import { loadFromHealthJson, loadFromPrometheus } from './engine-load.js';

describe('engine load', () => {
  it("reads the emulator's /health JSON, and nothing else as JSON", () => {
    expect(loadFromHealthJson('{"status":"ok","running":3,"waiting":1,"kvUsedTokens":10}')).toEqual({ running: 3, waiting: 1 });
    expect(loadFromHealthJson('')).toBeNull();
    expect(loadFromHealthJson('{"running":-1,"waiting":0}')).toBeNull();
    expect(loadFromHealthJson('{"running":"3","waiting":0}')).toBeNull();
    expect(loadFromHealthJson('[1,2]')).toBeNull();
  });

  it('sums the running and waiting series of vLLM, SGLang or TGI, ignoring labels, comments and junk', () => {
    const vllm = [
      '# HELP vllm:num_requests_running Number of requests currently running on GPU.',
      '# TYPE vllm:num_requests_running gauge',
      'vllm:num_requests_running{engine="0",model_name="llama"} 5.0',
      'vllm:num_requests_running{engine="1",model_name="llama"} 2.0',
      'vllm:num_requests_waiting{engine="0",model_name="llama"} 7.0',
      'vllm:num_requests_waiting_by_reason{reason="capacity"} 99',
      'vllm:gpu_cache_usage_perc{model_name="llama"} 0.42',
      'garbage line without a value',
      'vllm:num_requests_waiting{engine="1"} NaN',
    ].join('\n');
    expect(loadFromPrometheus(vllm)).toEqual({ running: 7, waiting: 7 });
    expect(loadFromPrometheus('sglang:num_running_reqs{model_name="m"} 4\nsglang:num_queue_reqs{model_name="m"} 1\n')).toEqual({ running: 4, waiting: 1 });
    expect(loadFromPrometheus('tgi_batch_current_size 8\n')).toEqual({ running: 8, waiting: 0 });
    expect(loadFromPrometheus('process_cpu_seconds_total 12\n')).toBeNull();
    expect(loadFromPrometheus('')).toBeNull();
  });
});
