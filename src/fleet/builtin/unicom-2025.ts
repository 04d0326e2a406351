/**
 * China Unicom's mixed domestic fleet as reported in September 2025 (CCTV Xinwen Lianbo, 16 Sep 2025;
 * ../shared/reference/seed-facts.md section 2 and chips.md section 1, sources [A1], [A2], [A4], [A5]).
 * Every number is the report's own, except the Zhonghao Xinying card count, which is derived and
 * marked so. The per-contract figures sum to 3579 P while the report states 3479 P in total:
 * both are kept (the summary warns); neither is corrected here.
 */
import type { FleetDoc } from '../types.js';

const REPORT = 'CCTV Xinwen Lianbo, 16 Sep 2025 [A1] http://hxjkbz.com/n/959285; further coverage [A2][A4][A5] (seed-facts.md section 2)';

export const unicom2025: FleetDoc = {
  name: 'unicom-2025',
  description:
    "China Unicom's domestic AI compute as reported in Sep 2025: T-Head PPU, MetaX, Biren and Zhonghao Xinying blocks. 'P' is PFLOPS at a precision the report does not state.",
  source: REPORT,
  clusters: [
    { id: 'unicom-thead', name: 'Alibaba Cloud (T-Head PPU) block' },
    { id: 'unicom-metax', name: 'Chinese Academy of Sciences (MetaX) block' },
    { id: 'unicom-biren', name: 'Beijing Jingyi (Biren) block' },
    { id: 'unicom-zhonghao', name: 'Zhonghao Xinying block' },
  ],
  serverModels: [
    // The PPU host exposes all 16 cards in one ICN topology (chips.md [T4]).
    { id: 'ppu-16', chip: 'thead-ppu', maxCards: 16, linkDomainSize: 16 },
    // A real 8x C500 capture shows two MetaXLink groups of 4 cards (chips.md [M3]).
    { id: 'metax-8', chip: 'metax-c500', maxCards: 8, linkDomainSize: 4 },
    { id: 'biren-16', chip: 'biren-br104', maxCards: 16 },
    { id: 'zhonghao-8', chip: 'zhonghao-chana', maxCards: 8 },
  ],
  nodeGroups: [
    {
      id: 'ppu',
      name: 'Alibaba Cloud, T-Head PPU',
      cluster: 'unicom-thead',
      chip: 'thead-ppu',
      serverModel: 'ppu-16',
      servers: 1024,
      cardsPerServer: 16,
      contract: 'Alibaba Cloud (T-Head PPU)',
      declared: { servers: 1024, cards: 16384, pflops: 1945, source: REPORT },
    },
    {
      id: 'metax',
      name: 'Chinese Academy of Sciences, MetaX',
      cluster: 'unicom-metax',
      chip: 'metax-c500',
      serverModel: 'metax-8',
      servers: 512,
      cardsPerServer: 8,
      contract: 'Chinese Academy of Sciences (MetaX)',
      declared: {
        servers: 512,
        cards: 4096,
        pflops: 984,
        source: REPORT,
        note: 'The report does not name the MetaX model; metax-c500 is assumed as the vendor\'s volume data-centre card.',
      },
    },
    {
      id: 'biren',
      name: 'Beijing Jingyi, Biren',
      cluster: 'unicom-biren',
      chip: 'biren-br104',
      serverModel: 'biren-16',
      servers: 83,
      cardsPerServer: 16,
      contract: 'Beijing Jingyi (Biren)',
      declared: {
        servers: 83,
        cards: 1328,
        pflops: 450,
        source: REPORT,
        note: 'The deployed Biren model is not named; the CCTV comparison table showed the BR104P, so biren-br104 is assumed. Link topology not published: the whole server is one domain.',
      },
    },
    {
      id: 'zhonghao',
      name: 'Zhonghao Xinying',
      cluster: 'unicom-zhonghao',
      chip: 'zhonghao-chana',
      serverModel: 'zhonghao-8',
      servers: 128,
      cardsPerServer: 8,
      contract: 'Zhonghao Xinying',
      declared: {
        servers: 128,
        pflops: 200,
        source: REPORT,
        note: 'Cards not stated by the report; 1024 cards (8 per server) is derived: 22832 - 16384 - 4096 - 1328 = 1024. Link topology not published.',
      },
    },
  ],
  declared: {
    servers: 1747,
    cards: 22832,
    pflops: 3479,
    source: REPORT,
    note: 'The per-contract figures sum to 3579 P, not 3479 P; the report is inconsistent and both figures are kept.',
  },
};
