import { describe, expect, it } from 'vitest';
import { chipForModel, isMaskedModel } from './chip-map.js';

describe('chip map', () => {
  it.each([
    ['PPU-ZW810E', 'ppu-smi', 'thead-ppu'],
    ['910B3', 'npu-smi', 'ascend-910b'],
    ['Ascend 910B2', undefined, 'ascend-910b'],
    ['NVIDIA H200', 'nvidia-smi', 'nvidia-h200'],
    ['NVIDIA H20', 'nvidia-smi', 'nvidia-h20'],
    ['NVIDIA H100 80GB HBM3', 'nvidia-smi', 'nvidia-h100'],
    ['NVIDIA H100 PCIe', 'nvidia-smi', 'nvidia-h100-pcie'],
    ['NVIDIA A800-SXM4-80GB', 'nvidia-smi', 'nvidia-a800'],
    ['A100-SXM4-80GB', 'nvidia-smi', 'nvidia-a100'],
    ['NVIDIA A10', 'nvidia-smi', 'nvidia-a10'],
    ['Tesla V100-SXM2-32GB', 'nvidia-smi', 'nvidia-v100-32g'],
    ['Tesla V100-PCIE-16GB', 'nvidia-smi', 'nvidia-v100-16g'],
    ['Tesla T4', 'nvidia-smi', 'nvidia-t4'],
    ['MXC550', 'mx-smi', 'metax-c550'],
    ['MetaX C550', 'mx-smi', 'metax-c550'],
    ['MetaX C500', 'mx-smi', 'metax-c500'],
    ['Biren106B', 'brsmi', 'biren-106b'],
    ['MTT S5000', 'mthreads-gmi', 'mthreads-s5000'],
    ['MTT S4000', 'mthreads-gmi', 'mthreads-s4000'],
    ['S60', 'efsmi', 'enflame-s60'],
    ['MLU370-X8', 'cnmon', 'cambricon-mlu370-x8'],
    ['K100_AI', 'hy-smi', 'hygon-k100-ai'],
    ['K100', 'hy-smi', 'hygon-k100'],
    ['P800 OAM', 'xpu-smi', 'kunlunxin-p800'],
    ['R300', 'xpu-smi', 'kunlunxin-r300'],
    ['Iluvatar BI-V150', 'ixsmi', 'iluvatar-bi-v150'],
    ['TECO_AICARD_01', 'teco-smi', 'tecorigin-t100'],
    ['910A', 'npu-smi', 'ascend-910a'],
    ['Ascend 910A', undefined, 'ascend-910a'],
    ['310', 'npu-smi', 'ascend-310'],
  ])('%s (%s) -> %s', (model, tool, chip) => {
    expect(chipForModel(model, tool)).toBe(chip);
  });

  it.each([
    // Short names are only trusted in their own vendor's tool.
    ['S60', 'nvidia-smi'],
    ['310', undefined],
    ['R300', 'cnmon'],
    // Other chips than the catalog's, and masked or unknown models.
    ['310P3', 'npu-smi'],
    ['NVIDIA H20-3e', 'nvidia-smi'],
    ['NVIDIA A10G', 'nvidia-smi'],
    ['MLU370-S4', 'cnmon'],
    ['MLUXXX-XX', 'cnmon'],
    ['xxx', 'npu-smi'],
    ['NVIDIA GeForce RTX 4090', 'nvidia-smi'],
    ['', 'nvidia-smi'],
  ])('%s (%s) -> null', (model, tool) => {
    expect(chipForModel(model, tool)).toBeNull();
  });

  it('recognises masked model strings', () => {
    expect(isMaskedModel('MLUXXX-XX')).toBe(true);
    expect(isMaskedModel('DCU xxxx')).toBe(true);
    expect(isMaskedModel('MXC550')).toBe(false);
  });
});
