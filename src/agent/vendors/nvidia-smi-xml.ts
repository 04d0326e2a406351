import { Health, HealthBasis, emptyDevice, type DeviceRecord, type ParseResult, type Partition } from '../device-record.js';
import { finishDevice } from './columns.js';
import { celsius, int, mib, pct, watts } from './text.js';
import { attr, elements, text, without } from './xml.js';

/**
 * `nvidia-smi -q -x`. Element names moved between DTD versions (power_readings ->
 * gpu_power_readings, power_draw -> instant_power_draw, ECC single/double bit -> sram/dram), so
 * each field tries the names known for it. GPUs are listed in index order, so the position in
 * the document is the index. MIG instances are nested under their GPU as partitions.
 */
export function parseNvidiaXml(xml: string, source: string): ParseResult {
  const warnings: string[] = [];
  const driver = text(xml, 'driver_version');
  const cuda = text(xml, 'cuda_version');
  const attached = int(text(xml, 'attached_gpus'));
  const gpus = elements(xml, 'gpu');
  const devices: DeviceRecord[] = [];
  gpus.forEach((gpu, position) => {
    if (gpu.truncated) warnings.push(`${source}: the XML ends inside GPU ${position}; fields after the cut are null.`);
    const own = without(without(gpu.inner, 'mig_devices'), 'processes');
    const dev = emptyDevice(source);
    dev.index = position;
    dev.model = text(own, 'product_name');
    dev.uuid = text(own, 'uuid');
    dev.serial = na(text(own, 'serial'));
    dev.busId = text(own, 'pci/pci_bus_id') ?? attr(gpu.attrs, 'id');
    dev.memoryTotalMiB = mib(text(own, 'fb_memory_usage/total'));
    dev.memoryUsedMiB = mib(text(own, 'fb_memory_usage/used'));
    dev.utilizationPct = pct(text(own, 'utilization/gpu_util'));
    dev.temperatureC = celsius(text(own, 'temperature/gpu_temp'));
    dev.powerW = watts(
      first(own, ['gpu_power_readings/power_draw', 'gpu_power_readings/instant_power_draw', 'gpu_power_readings/average_power_draw', 'power_readings/power_draw']),
    );
    dev.powerCapW = watts(
      first(own, ['gpu_power_readings/current_power_limit', 'gpu_power_readings/enforced_power_limit', 'power_readings/enforced_power_limit', 'power_readings/power_limit']),
    );
    const ecc = elements(own, 'ecc_errors')[0]?.inner ?? '';
    dev.errors.eccUncorrectedVolatile = eccSum(ecc, 'volatile', 'uncorrectable', 'double_bit');
    dev.errors.eccCorrectedVolatile = eccSum(ecc, 'volatile', 'correctable', 'single_bit');
    dev.errors.eccUncorrectedAggregate = eccSum(ecc, 'aggregate', 'uncorrectable', 'double_bit');
    dev.errors.eccCorrectedAggregate = eccSum(ecc, 'aggregate', 'correctable', 'single_bit');
    dev.errors.eccMode = na(text(own, 'ecc_mode/current_ecc'));
    dev.versions = { tool: null, driver, sdkName: 'CUDA', sdk: cuda };
    if (/^yes$/i.test(text(own, 'gpu_reset_status/reset_required') ?? '')) {
      dev.health = Health.critical;
      dev.healthRaw = 'reset required';
      dev.healthBasis = HealthBasis.derived;
    }
    dev.partitions = migPartitions(gpu.inner);
    devices.push(finishDevice(dev, warnings));
  });
  if (gpus.length === 0) warnings.push(`${source}: the XML lists no <gpu> element.`);
  if (attached !== null && attached !== gpus.length) {
    warnings.push(`${source}: the XML says ${attached} attached GPUs but lists ${gpus.length}.`);
  }
  return { devices, warnings };
}

function migPartitions(gpuXml: string): Partition[] {
  const container = elements(gpuXml, 'mig_devices')[0];
  if (!container) return [];
  return elements(container.inner, 'mig_device').map((m) => ({
    index: int(text(m.inner, 'index')),
    uuid: text(m.inner, 'uuid'),
    profile: null,
    gpuInstanceId: int(text(m.inner, 'gpu_instance_id')),
    computeInstanceId: int(text(m.inner, 'compute_instance_id')),
    memoryTotalMiB: mib(text(m.inner, 'fb_memory_usage/total')),
    memoryUsedMiB: mib(text(m.inner, 'fb_memory_usage/used')),
  }));
}

/** Sum of the counters in an ECC block: sram_/dram_<kind> (DTD v12) or <legacy>/total (older DTDs). */
function eccSum(block: string, scope: string, kind: 'correctable' | 'uncorrectable', legacy: string): number | null {
  const scoped = elements(block, scope)[0]?.inner ?? '';
  const names = ['sram', 'dram', 'device_memory', 'register_file', 'l1_cache', 'l2_cache', 'texture_memory', 'cbu'].map((p) => `${p}_${kind}`);
  const values = names.map((n) => int(text(scoped, n))).filter((v): v is number => v !== null);
  if (values.length > 0) return values.reduce((a, b) => a + b, 0);
  return int(text(scoped, `${legacy}/total`));
}

function first(xml: string, paths: string[]): string | null {
  for (const p of paths) {
    const v = text(xml, p);
    if (v !== null && !/^n\/a$/i.test(v)) return v;
  }
  return null;
}

function na(v: string | null): string | null {
  return v === null || /^(n\/a|\[n\/a\])$/i.test(v) ? null : v;
}
