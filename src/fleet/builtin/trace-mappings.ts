/**
 * Column and model mappings for public cluster traces' node lists (../shared/data/README.md),
 * used with `importFleetCsv`. Trace model names map to catalog chip ids; models the catalog cannot
 * name (anonymised series, "MISC") map to null and are skipped, and the import says how many.
 */
import type { CsvFleetMapping } from '../import-csv.js';

/** Alibaba GPU cluster trace 2023 ("openb"), github alibaba/clusterdata cluster-trace-gpu-v2023 (CC-BY-4.0). */
export const openbMapping: CsvFleetMapping = {
  name: 'openb',
  description: 'Alibaba GPU cluster trace 2023 (openb): GPU nodes of openb_node_list_gpu_node.csv. G1/G2/G3 are undisclosed GPU models.',
  source: 'github alibaba/clusterdata cluster-trace-gpu-v2023 openb_node_list_gpu_node.csv (CC-BY-4.0)',
  cluster: 'openb',
  columns: { node: 'sn', cards: 'gpu', model: 'model', cpu: 'cpu_milli', memory: 'memory_mib' },
  cpuUnit: 'milli',
  memoryUnit: 'MiB',
  models: {
    G1: 'openb-g1',
    G2: 'openb-g2',
    G3: 'openb-g3',
    T4: 'nvidia-t4',
    P100: 'nvidia-p100',
    V100M16: 'nvidia-v100-16g',
    V100M32: 'nvidia-v100-32g',
    A10: 'nvidia-a10',
  },
};

/** Alibaba spot GPU trace 2026 node list, github alibaba/clusterdata cluster-trace-v2026-spot-gpu (CC-BY-4.0). */
export const alibaba2026Mapping: CsvFleetMapping = {
  name: 'alibaba-2026',
  description:
    'Alibaba spot GPU cluster 2026 (node_info_df.csv). The two anonymised series (GPU-series-1/2) have no catalog chip and are left out; A100-SXM4-80GB maps to nvidia-a100.',
  source: 'github alibaba/clusterdata cluster-trace-v2026-spot-gpu node_info_df.csv (CC-BY-4.0)',
  cluster: 'alibaba-2026',
  columns: { node: 'node_name', cards: 'gpu_capacity_num', model: 'gpu_model', cpu: 'cpu_num' },
  cpuUnit: 'cores',
  models: {
    A10: 'nvidia-a10',
    'A100-SXM4-80GB': 'nvidia-a100',
    'A800-SXM4-80GB': 'nvidia-a800',
    H800: 'nvidia-h800',
    'GPU-series-1': null,
    'GPU-series-2': null,
  },
};

/** Alibaba PAI 2020 machine list (no header row; columns from pai_machine_spec.header), CC-BY-4.0. */
export const pai2020Mapping: CsvFleetMapping = {
  name: 'pai-2020',
  description: 'Alibaba PAI 2020 machines (pai_machine_spec.csv). "V100" is taken as the 16 GB part beside the explicit V100M32 (assumption); MISC and CPU-only machines are left out.',
  source: 'github alibaba/clusterdata cluster-trace-gpu-v2020 pai_machine_spec.csv (CC-BY-4.0)',
  cluster: 'pai-2020',
  header: ['machine', 'gpu_type', 'cap_cpu', 'cap_mem', 'cap_gpu'],
  columns: { node: 'machine', cards: 'cap_gpu', model: 'gpu_type', cpu: 'cap_cpu', memory: 'cap_mem' },
  cpuUnit: 'cores',
  memoryUnit: 'GiB',
  models: {
    P100: 'nvidia-p100',
    T4: 'nvidia-t4',
    V100: 'nvidia-v100-16g',
    V100M32: 'nvidia-v100-32g',
    MISC: null,
    CPU: null,
  },
};
