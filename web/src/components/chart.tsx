/**
 * ECharts on canvas, with only the charts and components the console uses registered (imports from
 * `echarts/core` keep the bundle small). Resizes with its box; follows the console's language.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/i18n';
import { okabeIto } from '../lib/palette';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, MarkLineComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/** jsdom has no canvas; component tests check the option, not the pixels. */
const canDraw = typeof navigator !== 'undefined' && !/jsdom/i.test(navigator.userAgent);

export function Chart({ option, height = 260, label }: { option: ChartOption; height?: number; label: string }) {
  const { lang } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!canDraw || !box.current) return;
    const c = echarts.init(box.current, null, { renderer: 'canvas', locale: lang === 'zh-CN' ? 'ZH' : 'EN' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(box.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [lang]);
  useEffect(() => {
    chart.current?.setOption({ color: [...okabeIto], textStyle: { fontFamily: 'inherit' }, animationDuration: 300, ...option }, { notMerge: true });
  }, [option, lang]);
  return <div ref={box} className="chart" style={{ height }} role="img" aria-label={label} data-chart={label} />;
}
