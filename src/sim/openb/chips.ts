/**
 * openb GPU model names -> Tessera chip ids. G1/G2/G3 are undisclosed trace codes (catalog `openb-g*`);
 * a name not listed here keeps its own lower-cased name, so an unseen model still works.
 */
const MODEL_TO_CHIP: Record<string, string> = {
  P100: 'nvidia-p100',
  T4: 'nvidia-t4',
  V100M16: 'nvidia-v100-16g',
  V100M32: 'nvidia-v100-32g',
  A10: 'nvidia-a10',
  K80: 'nvidia-k80',
  G1: 'openb-g1',
  G2: 'openb-g2',
  G3: 'openb-g3',
};

export function openbChip(model: string): string {
  return MODEL_TO_CHIP[model] ?? model.toLowerCase();
}
