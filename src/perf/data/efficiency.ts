/**
 * Achievable fractions of peak per chip family and software stack: the calibration of the
 * roofline. Data, never constants buried in the model code. Each value says where it comes from:
 *
 * - `calibrated`: fitted, per chip family + stack (never per data point), so that the model's
 *   predictions match the published measurements in `bench/data/perf-validation.json`; the
 *   validation ids used are named in `source`.
 * - `published`: a figure someone measured and published (cited).
 * - `assumed`: an engineering default with no measurement behind it for this chip; an estimate
 *   that uses one gets a lower confidence.
 *
 * Lookup order: a profile listing the chip id, then one for the chip's software stack, then `generic`.
 */
import type { SoftwareStack } from '../../catalog/types.js';

export interface SourcedValue {
  value: number;
  origin: 'calibrated' | 'published' | 'assumed';
  source: string;
  note?: string;
}

export interface EfficiencyProfile {
  id: string;
  /** The software the figures describe. */
  stackLabel: string;
  chips: string[];
  stacks: SoftwareStack[];
  /** Fraction of dense 16-bit peak that a large-model training step reaches (hardware FLOPs, large GEMMs dominate). */
  trainCompute16: SourcedValue;
  /** Fraction of dense FP8 peak reached by FP8 training (Transformer Engine); absent when the stack has no FP8 training. */
  trainComputeFp8?: SourcedValue;
  /** Fraction of dense peak reached by one large linear layer (a single GEMM, no other kernels). */
  gemmCompute: SourcedValue;
  /**
   * Exponent p of the smooth roofline for an iteration's GEMMs: time = (compute^p + memory^p)^(1/p).
   * max() (p = infinity) is optimistic near the ridge point, where real kernels reach neither peak.
   */
  rooflineExponent: SourcedValue;
  /** Fraction of dense peak reached by inference prefill and mixed prefill/decode iterations. */
  inferCompute: SourcedValue;
  /** Fraction of memory bandwidth reached by decode (weights + KV-cache streaming). */
  memBandwidth: SourcedValue;
  /** Fraction of card-to-card link bandwidth reached by collectives (NCCL bus bandwidth / link peak). */
  cardLink: SourcedValue;
  /** Inter-server network per card (GB/s) when the catalog has none. */
  networkGBpsPerCard: SourcedValue;
  /** Latency of one small all-reduce inside a server, microseconds. */
  collectiveLatencyUs: SourcedValue;
  /** Fixed cost of one inference iteration (scheduling, sampling, launches), ms. */
  iterationOverheadMs: SourcedValue;
  /** Fraction of data-parallel gradient communication not hidden behind backward compute. */
  dpCommExposed: SourcedValue;
  /** Fraction of tensor-parallel collectives not overlapped with GEMMs (training). */
  tpCommExposed: SourcedValue;
  /** Fraction of MoE all-to-all (expert-parallel) traffic not hidden behind compute. */
  moeCommExposed: SourcedValue;
  /** Concurrency cap of the serving engine per replica. */
  maxBatch: SourcedValue;
  /** Fraction of card memory the engine may use (weights + KV cache + activations). */
  memoryUsable: SourcedValue;
  /** Framework workspace, allocator fragmentation and communication buffers per card in training, GiB. */
  trainOverheadGiB: SourcedValue;
  /** Activation workspace per card in inference, GiB. */
  inferOverheadGiB: SourcedValue;
}

const VAL = 'bench/data/perf-validation.json';
const a = (value: number, source: string, note?: string): SourcedValue => ({ value, origin: 'assumed', source, ...(note ? { note } : {}) });
const c = (value: number, ids: string, note?: string): SourcedValue => ({ value, origin: 'calibrated', source: `${VAL}: ${ids}`, ...(note ? { note } : {}) });
const p = (value: number, source: string, note?: string): SourcedValue => ({ value, origin: 'published', source, ...(note ? { note } : {}) });

const NCCL_TESTS = 'NVIDIA nccl-tests PERFORMANCE.md (busBw definition); NVIDIA DGX H100 user guide (8x NVLink4 900 GB/s)';

export const efficiencyProfiles: readonly EfficiencyProfile[] = [
  {
    id: 'nvidia-hopper',
    stackLabel: 'CUDA: Megatron-LM/NeMo (training), TensorRT-LLM/vLLM (inference)',
    chips: ['nvidia-h100', 'nvidia-h100-pcie', 'nvidia-h800', 'nvidia-h200', 'nvidia-h20'],
    stacks: [],
    trainCompute16: c(0.5, 'llama3-405b-*', 'BF16: MFU 38-43% on 8k-16k H100 (Llama 3 paper)'),
    trainComputeFp8: c(0.4, 'nemo-pretrain-*, nemo-finetune-*', 'NeMo 24.07 FP8 runs reach ~700-780 model TFLOPS of 1979 peak'),
    gemmCompute: c(0.7, 'vidur-h100-*'),
    rooflineExponent: c(2, 'trtllm-*', 'chosen over p = 3, 4 and max() on all TensorRT-LLM rows; efficiencies unchanged'),
    inferCompute: c(0.5, 'trtllm-*; checked on nim-*'),
    memBandwidth: c(0.8, 'trtllm-*; checked on nim-*'),
    cardLink: p(0.75, NCCL_TESTS, 'all-reduce bus bandwidth ~450 GB/s of 600 GB/s unidirectional NVLink4 (8x H100)'),
    networkGBpsPerCard: p(50, 'NVIDIA DGX H100 user guide: 8x ConnectX-7 400 Gb/s, one per GPU'),
    collectiveLatencyUs: a(15, 'order of NCCL small-message all-reduce latency inside an NVLink server'),
    iterationOverheadMs: c(2, 'trtllm-*'),
    tpCommExposed: c(0.4, 'nemo-pretrain-*', 'NeMo enables TP communication overlap (userbuffers) for large TP runs'),
    dpCommExposed: a(0.15, 'Megatron overlaps gradient reduce-scatter with backward (--overlap-grad-reduce)'),
    moeCommExposed: a(0.5, 'partial overlap of dispatch/combine with expert compute assumed'),
    maxBatch: p(2048, 'TensorRT-LLM trtllm-bench default max_batch_size 2048'),
    memoryUsable: p(0.9, 'vLLM gpu_memory_utilization default 0.9; TensorRT-LLM kv_cache_free_gpu_mem_fraction 0.9'),
    trainOverheadGiB: a(4, 'CUDA context, NCCL buffers, allocator fragmentation'),
    inferOverheadGiB: a(2, 'CUDA graphs, activations of one iteration'),
  },
  {
    id: 'nvidia-ampere',
    stackLabel: 'CUDA: Megatron-LM or PyTorch FSDP (training), vLLM/TensorRT-LLM (inference)',
    chips: ['nvidia-a100', 'nvidia-a800', 'nvidia-a10'],
    stacks: [],
    trainCompute16: c(0.65, 'llmfoundry-a100-*', 'PyTorch FSDP (ZeRO-3) runs of MPT 7B-70B on A100 80GB; chosen over 0.60, 0.62 and 0.68'),
    gemmCompute: c(0.72, 'vidur-a100-*'),
    rooflineExponent: a(2, 'Hopper calibration transferred'),
    inferCompute: c(0.65, 'trtllm061-a100-*, trtllm05-a100-*', 'FP16 prefill-bound runs; single A100 GEMMs reach 0.72 of peak (vidur-a100-*)'),
    memBandwidth: a(0.8, 'Hopper end-to-end calibration (trtllm-*) transferred'),
    cardLink: p(0.75, NCCL_TESTS, 'all-reduce bus bandwidth ~230 GB/s of 300 GB/s unidirectional NVLink3'),
    networkGBpsPerCard: p(25, 'NVIDIA DGX A100 user guide: 8x ConnectX-6 200 Gb/s, one per GPU'),
    collectiveLatencyUs: a(20, 'order of NCCL small-message all-reduce latency inside an NVLink server'),
    iterationOverheadMs: a(3, 'vLLM/TensorRT-LLM scheduling and sampling per iteration'),
    tpCommExposed: a(1, 'Megatron-LM on A100: TP collectives on the critical path'),
    dpCommExposed: a(0.15, 'Megatron overlaps gradient reduce-scatter with backward'),
    moeCommExposed: a(0.5, 'partial overlap of dispatch/combine with expert compute assumed'),
    maxBatch: a(1024, 'engine concurrency cap (vLLM max_num_seqs is configurable; 256 by default)'),
    memoryUsable: p(0.9, 'vLLM gpu_memory_utilization default 0.9'),
    trainOverheadGiB: a(4, 'CUDA context, NCCL buffers, allocator fragmentation'),
    inferOverheadGiB: a(2, 'activations of one iteration'),
  },
  {
    id: 'nvidia-ada',
    stackLabel: 'CUDA: vLLM/TensorRT-LLM; PCIe-only cards',
    chips: ['nvidia-l40s', 'nvidia-l20'],
    stacks: [],
    trainCompute16: a(0.45, 'Ampere/Hopper calibration transferred; PCIe-only cards train less efficiently'),
    gemmCompute: a(0.65, 'Ampere GEMM calibration transferred'),
    rooflineExponent: a(2, 'Hopper calibration transferred'),
    inferCompute: a(0.5, 'Hopper inference calibration transferred'),
    memBandwidth: a(0.8, 'Hopper inference calibration transferred (GDDR6)'),
    cardLink: a(0.7, 'PCIe 4.0 x16 all-reduce through the host bridge'),
    networkGBpsPerCard: a(12.5, 'one 100 Gb/s NIC per card assumed'),
    collectiveLatencyUs: a(30, 'PCIe all-reduce latency, larger than NVLink'),
    iterationOverheadMs: a(3, 'engine scheduling and sampling per iteration'),
    tpCommExposed: a(1, 'no overlap assumed'),
    dpCommExposed: a(0.3, 'slower links leave more gradient traffic exposed'),
    moeCommExposed: a(0.5, 'partial overlap of dispatch/combine with expert compute assumed'),
    maxBatch: a(1024, 'engine concurrency cap'),
    memoryUsable: a(0.9, 'vLLM default'),
    trainOverheadGiB: a(3, 'framework workspace'),
    inferOverheadGiB: a(1.5, 'activations of one iteration'),
  },
  {
    id: 'cuda-other',
    stackLabel: 'CUDA and CUDA-compatible stacks without their own measurements (older NVIDIA)',
    chips: [],
    stacks: ['cuda'],
    trainCompute16: a(0.4, 'Ampere calibration transferred and lowered: older tensor cores, no measurement here'),
    gemmCompute: a(0.6, 'Ampere GEMM calibration transferred and lowered'),
    rooflineExponent: a(2, 'Hopper calibration transferred'),
    inferCompute: a(0.45, 'Ampere calibration transferred'),
    memBandwidth: a(0.75, 'Ampere calibration transferred'),
    cardLink: a(0.7, 'NVLink/PCIe all-reduce efficiency assumed'),
    networkGBpsPerCard: a(12.5, 'one 100 Gb/s NIC per card assumed'),
    collectiveLatencyUs: a(25, 'order of NCCL small-message latency'),
    iterationOverheadMs: a(3, 'engine scheduling and sampling per iteration'),
    tpCommExposed: a(1, 'no overlap assumed'),
    dpCommExposed: a(0.2, 'overlap with backward assumed'),
    moeCommExposed: a(0.5, 'partial overlap of dispatch/combine with expert compute assumed'),
    maxBatch: a(512, 'engine concurrency cap'),
    memoryUsable: a(0.9, 'vLLM default'),
    trainOverheadGiB: a(3, 'framework workspace'),
    inferOverheadGiB: a(1.5, 'activations of one iteration'),
  },
  {
    id: 'ascend-cann',
    stackLabel: 'CANN: MindSpeed (training), MindIE / vllm-ascend (inference)',
    chips: [],
    stacks: ['cann'],
    trainCompute16: c(0.53, 'mindformers-910b-*', 'MindFormers published tokens/s/p on Atlas 800T A2 (910B)'),
    gemmCompute: a(0.6, 'no single-GEMM measurement found for Ascend'),
    rooflineExponent: a(2, 'Hopper calibration transferred'),
    inferCompute: a(0.45, 'Hopper calibration scaled down; no fixed-length serving table found for Ascend'),
    memBandwidth: a(0.7, 'assumed lower than CUDA stacks'),
    cardLink: a(0.7, 'HCCS all-reduce efficiency assumed'),
    networkGBpsPerCard: p(25, 'Atlas 800T A2: one 200 GE RoCE port per NPU (roce_ip per NPU in npu-smi)'),
    collectiveLatencyUs: a(30, 'HCCL small-message latency assumed'),
    iterationOverheadMs: a(4, 'graph-mode serving iteration overhead assumed'),
    tpCommExposed: a(0.6, 'MindFormers fine_grain_interleave / mp_comm_recompute overlap assumed partial'),
    dpCommExposed: a(0.2, 'MindSpeed overlaps gradient reduce with backward'),
    moeCommExposed: a(0.5, 'partial overlap of dispatch/combine with expert compute assumed'),
    maxBatch: a(512, 'engine concurrency cap assumed'),
    memoryUsable: a(0.9, 'vllm-ascend gpu_memory_utilization default 0.9'),
    trainOverheadGiB: a(5, 'CANN workspace and HCCL buffers'),
    inferOverheadGiB: a(3, 'activations of one iteration'),
  },
  {
    id: 'generic',
    stackLabel: 'any other stack: no published measurement; engineering defaults',
    chips: [],
    stacks: [],
    trainCompute16: a(0.35, 'no measurement: a conservative share of peak for young stacks'),
    gemmCompute: a(0.5, 'no measurement'),
    rooflineExponent: a(2, 'Hopper calibration transferred'),
    inferCompute: a(0.4, 'no measurement'),
    memBandwidth: a(0.65, 'no measurement'),
    cardLink: a(0.6, 'no measurement'),
    networkGBpsPerCard: a(12.5, 'one 100 Gb/s NIC per card assumed'),
    collectiveLatencyUs: a(40, 'no measurement'),
    iterationOverheadMs: a(5, 'no measurement'),
    tpCommExposed: a(1, 'no overlap assumed'),
    dpCommExposed: a(0.3, 'no measurement'),
    moeCommExposed: a(0.5, 'partial overlap of dispatch/combine with expert compute assumed'),
    maxBatch: a(256, 'no measurement'),
    memoryUsable: a(0.85, 'no measurement'),
    trainOverheadGiB: a(5, 'no measurement'),
    inferOverheadGiB: a(3, 'no measurement'),
  },
];

const byChip = new Map<string, EfficiencyProfile>();
const byStack = new Map<string, EfficiencyProfile>();
for (const prof of efficiencyProfiles) {
  for (const chip of prof.chips) byChip.set(chip, prof);
  for (const stack of prof.stacks) byStack.set(stack, prof);
}
const generic = efficiencyProfiles.find((x) => x.id === 'generic') as EfficiencyProfile;

/** The profile for a chip: by id, then by software stack, then `generic`. */
export function efficiencyFor(chipId: string, stack: SoftwareStack | string): EfficiencyProfile {
  return byChip.get(chipId) ?? byStack.get(stack) ?? generic;
}
