/**
 * Model string as a tool prints it -> catalog chip id. One table for every vendor so that a new
 * model is one line. Rules are tried in order (more specific first); a rule may be limited to the
 * tools whose output it applies to, because short names ("S60", "310", "R300") are only
 * unambiguous in their own vendor's tool. An unknown model maps to null and the raw string is kept.
 */
export interface ChipRule {
  pattern: RegExp;
  chip: string;
  /** Only for output of these tools (adapter names); absent = any tool. */
  tools?: readonly string[];
  note?: string;
}

const ASCEND = ['npu-smi'] as const;
const ENFLAME = ['efsmi'] as const;
const KUNLUN = ['xpu-smi'] as const;
const HYGON = ['hy-smi'] as const;

export const CHIP_RULES: readonly ChipRule[] = [
  // NVIDIA: names as nvidia-smi prints them ("NVIDIA H200", "NVIDIA A100-SXM4-80GB", "Tesla V100-SXM2-32GB").
  { pattern: /\bH20-3e\b/i, chip: '', note: 'H20 141 GB edition: not in the catalog' },
  { pattern: /\bH200\b/i, chip: 'nvidia-h200' },
  { pattern: /\bH20\b/i, chip: 'nvidia-h20' },
  { pattern: /\bH100\b.*\bPCIe\b/i, chip: 'nvidia-h100-pcie' },
  { pattern: /\bH100\b/i, chip: 'nvidia-h100' },
  { pattern: /\bH800\b/i, chip: 'nvidia-h800' },
  { pattern: /\bA800\b/i, chip: 'nvidia-a800' },
  { pattern: /\bA100\b/i, chip: 'nvidia-a100' },
  { pattern: /\bL40S\b/i, chip: 'nvidia-l40s' },
  { pattern: /\bL20\b/i, chip: 'nvidia-l20' },
  { pattern: /\bA10\b(?![0-9G])/i, chip: 'nvidia-a10' },
  { pattern: /\bV100S?\b.*32\s*GB|\bV100S\b/i, chip: 'nvidia-v100-32g' },
  { pattern: /\bV100\b/i, chip: 'nvidia-v100-16g', note: 'V100 without a 32 GB suffix is the 16 GB edition' },
  { pattern: /\bP100\b/i, chip: 'nvidia-p100' },
  { pattern: /\bK80\b/i, chip: 'nvidia-k80' },
  { pattern: /\bT4\b/i, chip: 'nvidia-t4' },
  // T-Head PPU: the device names itself PPU-ZW810E; `ppu-smi -L` prints just "PPU".
  { pattern: /^PPU(\b|-)/i, chip: 'thead-ppu' },
  { pattern: /Zhenwu|真武/i, chip: 'thead-ppu' },
  // Huawei Ascend: npu-smi prints "910B3", "Ascend 910A", "310"; info -m prints "Ascend 910B3".
  { pattern: /^(Ascend\s*)?910B\d?(-\d)?$/i, chip: 'ascend-910b' },
  { pattern: /^(Ascend\s*)?910_?93\d*$|^(Ascend\s*)?910C$/i, chip: 'ascend-910c' },
  // Atlas A3 (910C) hosts print the bare "Ascend910" per die (vllm-ascend issue #2035, npu-smi
  // 24.1.rc3; chips.md section 4: HAMi names the 910C "Ascend910"); a 910A prints "910A".
  { pattern: /^Ascend\s?910$/i, chip: 'ascend-910c', tools: ASCEND },
  { pattern: /^(Ascend\s*)?910(A|ProA|ProB|PremiumA)?$/i, chip: 'ascend-910a', tools: ASCEND },
  { pattern: /^Ascend\s*910(A|ProA|ProB|PremiumA)?$/i, chip: 'ascend-910a' },
  { pattern: /^(Ascend\s*)?310$/i, chip: 'ascend-310', tools: ASCEND, note: '310P/310B are other chips' },
  { pattern: /^Ascend\s*310$/i, chip: 'ascend-310' },
  { pattern: /^MiniD$/i, chip: 'ascend-310', tools: ASCEND, note: "`info -m` names 310 chips MiniD (gpustack npu_smi test data, Atlas 800 model 3000)" },
  // MetaX: mx-smi 2.1 prints "MXC550", 2.2 prints "MetaX C550".
  { pattern: /^(MetaX\s*|MX)C550\b/i, chip: 'metax-c550' },
  { pattern: /^(MetaX\s*|MX)C500\b/i, chip: 'metax-c500' },
  { pattern: /^(MetaX\s*|MX)N260\b/i, chip: 'metax-n260' },
  // Biren: brsmi prints "Biren106B".
  { pattern: /^(Biren\s*|BR)106B\b/i, chip: 'biren-106b' },
  { pattern: /^(Biren\s*|BR)106M\b/i, chip: 'biren-106m' },
  { pattern: /^(Biren\s*)?BR104P?\b/i, chip: 'biren-br104' },
  { pattern: /^(Biren\s*)?BR100P?\b/i, chip: 'biren-br100' },
  // Moore Threads: "MTT S5000".
  { pattern: /^(MTT\s*)?S5000\b/i, chip: 'mthreads-s5000' },
  { pattern: /^(MTT\s*)?S4000\b/i, chip: 'mthreads-s4000' },
  // Enflame: efsmi prints the bare product name.
  { pattern: /^(Enflame\s*)?S60\b/i, chip: 'enflame-s60', tools: ENFLAME },
  { pattern: /^Enflame\s*S60\b/i, chip: 'enflame-s60' },
  { pattern: /^(Enflame\s*)?[TI]20\b/i, chip: 'enflame-t20', tools: ENFLAME },
  { pattern: /^(Enflame\s*)?[TI]10\b/i, chip: 'enflame-t10', tools: ENFLAME },
  { pattern: /^(Enflame\s*)?L300\b/i, chip: 'enflame-l300', tools: ENFLAME },
  // Cambricon: cnmon prints "MLU370-X8" (one row per chip of the card).
  { pattern: /^MLU370-X8\b/i, chip: 'cambricon-mlu370-x8' },
  { pattern: /^MLU590\b/i, chip: 'cambricon-mlu590' },
  { pattern: /^MLU290\b/i, chip: 'cambricon-mlu290' },
  // Hygon DCU.
  { pattern: /\bK100[_-]?AI\b/i, chip: 'hygon-k100-ai' },
  { pattern: /\bK100\b/i, chip: 'hygon-k100' },
  { pattern: /\bZ100L?\b/i, chip: 'hygon-z100' },
  { pattern: /^gfx928$/i, chip: 'hygon-k100-ai', tools: HYGON, note: 'ISA name; chips.md section 4 (Y4)' },
  { pattern: /^gfx926$/i, chip: 'hygon-k100', tools: HYGON },
  { pattern: /^gfx906$/i, chip: 'hygon-z100', tools: HYGON },
  // Kunlunxin: "P800 OAM", "P800", "R300", "R200".
  { pattern: /^(Kunlunxin\s*)?P800\b/i, chip: 'kunlunxin-p800', tools: KUNLUN },
  { pattern: /^Kunlunxin\s*P800\b/i, chip: 'kunlunxin-p800' },
  { pattern: /^(Kunlunxin\s*)?R300\b/i, chip: 'kunlunxin-r300', tools: KUNLUN },
  { pattern: /^(Kunlunxin\s*)?R200\b/i, chip: 'kunlunxin-r200', tools: KUNLUN },
  // Iluvatar: "Iluvatar BI-V150".
  { pattern: /\bBI-?V150\b/i, chip: 'iluvatar-bi-v150' },
  { pattern: /\bBI-?V100\b/i, chip: 'iluvatar-bi-v100' },
  { pattern: /\bMR-?V100\b/i, chip: 'iluvatar-mr-v100' },
  // Tecorigin: teco-smi prints the board name; T100 and I100 share it and the SDK (chips.md TC1).
  { pattern: /^TECO_AICARD_01$/i, chip: 'tecorigin-t100', note: 'the I100 may print the same name' },
  { pattern: /\bT100\b/i, chip: 'tecorigin-t100', tools: ['teco-smi'] },
];

/** A model string that a document or capture masked ("xxx", "MLUXXX-XX", "DCU xxxx"). */
export function isMaskedModel(model: string): boolean {
  return /x{3,}/i.test(model) && !/[0-9]{2}/.test(model.replace(/x+/gi, ''));
}

/** The catalog chip id for a printed model, or null. `tool` enables the tool-specific short names. */
export function chipForModel(model: string | null, tool?: string): string | null {
  if (model === null) return null;
  const m = model.trim();
  if (m === '' || isMaskedModel(m)) return null;
  for (const rule of CHIP_RULES) {
    if (rule.tools && (tool === undefined || !rule.tools.includes(tool))) continue;
    if (rule.pattern.test(m)) return rule.chip === '' ? null : rule.chip;
  }
  return null;
}

/**
 * The chip for a device, using its reported memory where the name alone is ambiguous: a V100
 * whose name is cut ("Tesla V100-SXM2...") or lacks the size is the 32 GB edition above 20 GiB.
 */
export function chipForDevice(model: string | null, tool: string | undefined, memoryTotalMiB: number | null): string | null {
  const chip = chipForModel(model, tool);
  if (chip === 'nvidia-v100-16g' && memoryTotalMiB !== null && memoryTotalMiB > 20 * 1024) return 'nvidia-v100-32g';
  return chip;
}
