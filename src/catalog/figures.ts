/**
 * Small readings of a chip's figures that several layers need: the half-precision peak a
 * comparison or a roofline should use, and a card figure divided over the devices the card shows
 * to the operating system (BI-V150, MLU370-X8, K80, 910C). Unknown in, unknown out.
 */
import type { ChipSpec, Figure, KnownFigure } from './types.js';

/** bf16 where the chip publishes it, else fp16; `precision` says which (null when both unknown). */
export function halfPrecisionPeak(chip: ChipSpec): { figure: Figure; precision: 'bf16' | 'fp16' | null } {
  const { bf16Tflops, fp16Tflops } = chip.densePeak;
  if (bf16Tflops.value !== null) return { figure: bf16Tflops, precision: 'bf16' };
  if (fp16Tflops.value !== null) return { figure: fp16Tflops, precision: 'fp16' };
  return { figure: bf16Tflops, precision: null };
}

/** Devices per card (1 unless the record says otherwise). */
export function devicesPerCard(chip: ChipSpec): number {
  return chip.devicesPerCard ?? 1;
}

/**
 * A card figure per device: the card value / devices per card, as a derived figure that keeps the
 * card's source (an even split is an assumption, and the note says so). Single-device cards and
 * unknown figures come back unchanged.
 */
export function perDevice(chip: ChipSpec, figure: Figure): Figure {
  const n = devicesPerCard(chip);
  if (n === 1 || figure.value === null) return figure;
  const split: KnownFigure = {
    value: figure.value / n,
    source: figure.source,
    confidence: 'derived',
    note: `card figure ${figure.value} / ${n} devices per card, assuming an even split`,
  };
  return split;
}
