/**
 * The device heatmap: one canvas cell per device, coloured by allocated share (viridis), unhealthy
 * devices in vermillion with a cross, lost nodes dark, filtered-out devices faded. Hover names the
 * device; click or Enter opens its node; arrow keys move between nodes. Each redraw is measured as
 * `tessera:heatmap-draw` (read by bench/console-load.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { cellAt, layoutFor, paint, type HeatmapData, type Layout } from '../lib/heatmap-draw';

export interface HeatmapNode {
  id: string;
  chip: string;
  first: number;
  cards: number;
}

export function Heatmap({ data, nodes, onOpen }: { data: HeatmapData; nodes: HeatmapNode[]; onOpen(nodeId: string): void }) {
  const { t } = useI18n();
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(1000);
  const [hover, setHover] = useState<{ i: number; x: number; y: number } | null>(null);
  const [focusNode, setFocusNode] = useState(0);
  const [focused, setFocused] = useState(false);
  const count = data.used.length;
  const layout: Layout = useMemo(() => layoutFor(count, width), [count, width]);
  const nodeOf = useMemo(() => {
    const idx = new Int32Array(count);
    nodes.forEach((n, k) => idx.fill(k, n.first, n.first + n.cards));
    return idx;
  }, [nodes, count]);

  useEffect(() => {
    const el = wrap.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => setWidth(Math.max(200, Math.floor(entries[0]?.contentRect.width ?? 1000))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const c = canvas.current;
    // jsdom has no 2D context (and says so loudly); component tests check the model, not pixels.
    const ctx = c && !/jsdom/i.test(navigator.userAgent) ? c.getContext('2d') : null;
    if (!c || !ctx) return;
    const t0 = performance.now();
    if (c.width !== layout.width || c.height !== layout.height) {
      c.width = layout.width;
      c.height = layout.height;
    }
    const img = ctx.createImageData(layout.width, layout.height);
    paint(new Uint32Array(img.data.buffer), layout, data);
    ctx.putImageData(img, 0, 0);
    const focusedNode = nodes[focusNode];
    if (focused && focusedNode) {
      const step = layout.cell + layout.gap;
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      for (let i = focusedNode.first; i < focusedNode.first + focusedNode.cards; i++) ctx.strokeRect((i % layout.cols) * step, Math.floor(i / layout.cols) * step, layout.cell, layout.cell);
    }
    performance.measure('tessera:heatmap-draw', { start: t0, end: performance.now(), detail: { devices: count } });
  }, [data, layout, count, focusNode, nodes, focused]);

  const hovered = hover && hover.i >= 0 ? nodes[nodeOf[hover.i] ?? -1] : undefined;
  return (
    <div className="heatmap" ref={wrap}>
      <canvas
        ref={canvas}
        tabIndex={0}
        role="img"
        aria-label={`${t('fleet.heatmap', { count })}. ${t('fleet.heatmapHelp')}`}
        data-devices={count}
        onMouseMove={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          setHover({ i: cellAt(layout, count, e.clientX - r.left, e.clientY - r.top), x: e.clientX - r.left, y: e.clientY - r.top });
        }}
        onMouseLeave={() => setHover(null)}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const i = cellAt(layout, count, e.clientX - r.left, e.clientY - r.top);
          const n = i >= 0 ? nodes[nodeOf[i] ?? -1] : undefined;
          if (n) onOpen(n.id);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowRight' || e.key === 'ArrowDown') setFocusNode((k) => Math.min(nodes.length - 1, k + 1));
          else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') setFocusNode((k) => Math.max(0, k - 1));
          else if (e.key === 'Enter' && nodes[focusNode]) onOpen(nodes[focusNode].id);
          else return;
          e.preventDefault();
        }}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
      />
      {focused && nodes[focusNode] ? (
        <div className="heatmap-focus" aria-live="polite" data-testid="heatmap-focus">
          {nodes[focusNode].id} · {nodes[focusNode].chip}
        </div>
      ) : null}
      {hovered && hover ? (
        <div className="tooltip" style={{ left: hover.x + 12, top: hover.y + 12 }} role="tooltip">
          {t('fleet.hover', { node: hovered.id, index: hover.i - hovered.first, chip: hovered.chip, used: Math.round((data.used[hover.i] ?? 0) / 10) })}
        </div>
      ) : null}
    </div>
  );
}
