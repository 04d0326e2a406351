import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinCatalog, builtinFiles } from './builtin.js';
import { FigurePaths, type ChipSpec, type Figure } from './types.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const sharedDir = process.env.TESSERA_SHARED_DIR ?? join(repoRoot, '..', 'shared');
const chipsMd = readFileSync(join(sharedDir, 'reference', 'chips.md'), 'utf8');

function figureAt(chip: ChipSpec, dotted: string): Figure {
  const [a, b] = dotted.split('.') as [string, string | undefined];
  const top = (chip as unknown as Record<string, unknown>)[a];
  return (b === undefined ? top : (top as Record<string, unknown>)[b]) as Figure;
}

describe('built-in catalog', () => {
  const catalog = builtinCatalog();

  it('is memoized', () => {
    expect(builtinCatalog()).toBe(catalog);
  });

  it('has every agreed chip id', () => {
    const agreed =
      'nvidia-h20 nvidia-a800 nvidia-a100 nvidia-h100 nvidia-h100-pcie nvidia-h800 nvidia-h200 nvidia-l20 nvidia-l40s nvidia-k80 nvidia-p100 nvidia-v100-16g nvidia-v100-32g nvidia-t4 nvidia-a10 thead-ppu ascend-910b ascend-910a ascend-910c ascend-310 biren-br104 biren-br100 biren-106b biren-106m metax-c500 metax-c550 metax-n260 mthreads-s4000 mthreads-s5000 enflame-s60 enflame-t20 enflame-t10 enflame-l300 zhonghao-chana tecorigin-t100 cambricon-mlu370-x8 cambricon-mlu590 cambricon-mlu290 hygon-k100-ai hygon-k100 hygon-z100 kunlunxin-p800 kunlunxin-r300 kunlunxin-r200 iluvatar-bi-v150 iluvatar-bi-v100 iluvatar-mr-v100 openb-g1 openb-g2 openb-g3'.split(
        ' ',
      );
    expect(catalog.chips.map((c) => c.id).sort()).toEqual([...agreed].sort());
  });

  it('covers every card row of chips.md section 2', () => {
    const section2 = chipsMd.slice(chipsMd.indexOf('## 2. Hardware table'), chipsMd.indexOf('## 3.'));
    const cardNames = section2
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| Card') && !l.startsWith('|---'))
      .map((l) => l.split('|')[1]!.trim());
    // Each chips.md card row, and the record(s) it became.
    const rowToIds: [RegExp, string[]][] = [
      [/T-Head PPU/, ['thead-ppu']],
      [/NVIDIA A800/, ['nvidia-a800']],
      [/NVIDIA A100/, ['nvidia-a100']],
      [/NVIDIA H100/, ['nvidia-h100', 'nvidia-h100-pcie']],
      [/NVIDIA H800/, ['nvidia-h800']],
      [/NVIDIA H200/, ['nvidia-h200']],
      [/NVIDIA H20\*/, ['nvidia-h20']],
      [/NVIDIA L20/, ['nvidia-l20']],
      [/NVIDIA L40S/, ['nvidia-l40s']],
      [/Ascend 910B/, ['ascend-910b']],
      [/Ascend 910C/, ['ascend-910c']],
      [/Biren BR104/, ['biren-br104']],
      [/Biren BR100/, ['biren-br100']],
      [/Biren 106B/, ['biren-106b', 'biren-106m']],
      [/MetaX C500/, ['metax-c500']],
      [/MetaX C550/, ['metax-c550']],
      [/MetaX N260/, ['metax-n260']],
      [/MTT S4000/, ['mthreads-s4000']],
      [/MTT S5000/, ['mthreads-s5000']],
      [/Enflame S60/, ['enflame-s60']],
      [/Enflame T20/, ['enflame-t20']],
      [/Enflame T10/, ['enflame-t10']],
      [/Chana/, ['zhonghao-chana']],
      [/Tecorigin T100/, ['tecorigin-t100']],
      [/MLU370-X8/, ['cambricon-mlu370-x8']],
      [/MLU590/, ['cambricon-mlu590']],
      [/MLU290/, ['cambricon-mlu290']],
      [/K100_AI/, ['hygon-k100-ai']],
      [/Hygon K100 \/ Z100/, ['hygon-k100', 'hygon-z100']],
      [/Kunlunxin P800/, ['kunlunxin-p800']],
      [/R200/, ['kunlunxin-r200', 'kunlunxin-r300']],
      [/BI-V150/, ['iluvatar-bi-v150']],
      [/BI-V100/, ['iluvatar-bi-v100']],
      [/MR-V100/, ['iluvatar-mr-v100']],
    ];
    expect(cardNames).toHaveLength(rowToIds.length);
    for (const name of cardNames) {
      const match = rowToIds.find(([re]) => re.test(name));
      expect(match, `chips.md row "${name}" has no record mapping`).toBeDefined();
      for (const id of match![1]) expect(catalog.find(id), id).toBeDefined();
    }
  });

  it('lists every source key of chips.md section 7', () => {
    const section7 = chipsMd.slice(chipsMd.indexOf('## 7. Sources'));
    const keys = [...section7.matchAll(/\[([A-Z]{1,2}\d+[a-z]?)\]/g)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(80);
    for (const key of keys) expect(catalog.source(key), key).toBeDefined();
  });

  it('defines each source key once', () => {
    const keys = catalog.sources.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keeps the H20 power conflict: NVIDIA 400 W primary, CCTV 550 W alternative', () => {
    const tdp = catalog.get('nvidia-h20').tdpW;
    expect(tdp).toMatchObject({ value: 400, source: 'N1,N2', confidence: 'datasheet' });
    expect(tdp.value !== null && tdp.alternatives).toEqual([{ value: 550, source: 'A2,A3', confidence: 'press', note: 'the CCTV comparison table' }]);
    expect(tdp.value !== null && tdp.primaryReason).toContain("NVIDIA's own");
  });

  it('keeps the Ascend 910B conflicts: 320 vs 256, 640 vs 512, 400 W vs 350 W', () => {
    const c = catalog.resolve('910b');
    const pairs: [Figure, number, number][] = [
      [c.densePeak.fp16Tflops, 320, 256],
      [c.densePeak.bf16Tflops, 320, 256],
      [c.densePeak.int8Tops, 640, 512],
      [c.tdpW, 400, 350],
    ];
    for (const [f, primary, alt] of pairs) {
      expect(f.value).toBe(primary);
      expect(f.value !== null && f.source).toBe('N1');
      expect(f.value !== null && f.alternatives?.map((a) => [a.value, a.source])).toEqual([[alt, 'H5']]);
    }
  });

  it('keeps the other recorded conflicts (K100_AI power, BR100 bandwidth, 910C memory)', () => {
    const alt = (f: Figure): number[] => (f.value === null ? [] : (f.alternatives ?? []).map((a) => a.value));
    expect([catalog.get('hygon-k100-ai').tdpW.value, alt(catalog.get('hygon-k100-ai').tdpW)]).toEqual([800, [400]]);
    expect([catalog.get('biren-br100').memBandwidthGBps.value, alt(catalog.get('biren-br100').memBandwidthGBps)]).toEqual([1640, [2300]]);
    expect([catalog.get('ascend-910c').memoryGiB.value, alt(catalog.get('ascend-910c').memoryGiB)]).toEqual([128, [96]]);
  });

  it('keeps n/f as unknown: PPU bandwidth and peaks, C500 bf16, openb codes', () => {
    const ppu = catalog.resolve('ppu');
    expect(ppu.memBandwidthGBps).toMatchObject({ value: null, confidence: 'unknown' });
    expect(ppu.densePeak.bf16Tflops.value).toBeNull();
    expect(ppu.densePeak.bf16Tflops.note).toContain('118.7');
    expect(catalog.get('metax-c500').densePeak.bf16Tflops.value).toBeNull();
    for (const id of ['openb-g1', 'openb-g2', 'openb-g3']) {
      const chip = catalog.get(id);
      expect(chip.undisclosed).toBe(true);
      for (const p of FigurePaths) expect(figureAt(chip, p).value, `${id} ${p}`).toBeNull();
    }
  });

  it('keeps the PPU facts of the CCTV table: 96 GB HBM2e, 700 GB/s ICN, 400 W', () => {
    const ppu = catalog.resolve('PPU-ZW810E');
    expect([ppu.memoryGiB.value, ppu.memoryType, ppu.cardLink.bandwidthGBps.value, ppu.tdpW.value]).toEqual([96, 'HBM2e', 700, 400]);
    expect(ppu.software).toMatchObject({ stack: 'sail', smiTool: 'ppu-smi', k8sResources: ['alibabacloud.com/ppu'] });
  });

  it('resolves the agreed aliases, case-insensitively', () => {
    const expected: Record<string, string> = {
      ppu: 'thead-ppu',
      zw810e: 'thead-ppu',
      'ppu-zw810e': 'thead-ppu',
      a800: 'nvidia-a800',
      h20: 'nvidia-h20',
      h100: 'nvidia-h100',
      h200: 'nvidia-h200',
      '910b': 'ascend-910b',
      ascend910b: 'ascend-910b',
      br104: 'biren-br104',
      BR104P: 'biren-br104',
      c500: 'metax-c500',
      s4000: 'mthreads-s4000',
      mlu370: 'cambricon-mlu370-x8',
      'k100-ai': 'hygon-k100-ai',
      p800: 'kunlunxin-p800',
      'bi-v150': 'iluvatar-bi-v150',
      t100: 'tecorigin-t100',
      chana: 'zhonghao-chana',
      v100m32: 'nvidia-v100-32g',
      g2: 'openb-g2',
    };
    for (const [alias, id] of Object.entries(expected)) expect(catalog.resolve(alias).id, alias).toBe(id);
  });

  it('has English and Chinese names and never a price without a source', () => {
    expect(catalog.get('ascend-910b').names.zh).toBe('华为 昇腾 910B');
    expect(catalog.get('biren-br104').names.zh).toBe('壁仞 BR104');
    expect(catalog.get('metax-c500').names.zh).toBe('沐曦 曦云 C500');
    expect(catalog.get('thead-ppu').names.zh).toContain('平头哥 真武 PPU');
    for (const chip of catalog.chips) expect(chip.prices, chip.id).toEqual([]);
  });

  it('says what a multi-device card record describes', () => {
    for (const id of ['iluvatar-bi-v150', 'cambricon-mlu370-x8']) {
      const chip = catalog.get(id);
      expect(chip.devicesPerCard).toBe(2);
      expect(chip.notes.join(' ')).toMatch(/This record describes the card/);
    }
  });

  it('one data module per vendor, each named by its file', () => {
    const files = builtinFiles();
    for (const f of files) {
      expect(f.file).toMatch(/^src\/catalog\/data\/[a-z]+\.ts$/);
      const vendors = new Set(f.records.map((r) => (r as { vendor: string }).vendor));
      expect(vendors.size, f.file).toBe(1);
    }
  });
});
