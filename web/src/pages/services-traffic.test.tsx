// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider, makeI18n } from '../i18n/i18n';
import { trafficChartOption, TrafficView, type ServiceTraffic, type TrafficFigures } from './services-traffic';

const fig = (o: Partial<TrafficFigures>): TrafficFigures => ({ requests: 0, errors: 0, requestsPerSec: 0, p50TtftMs: null, p95TtftMs: null, p50TpotMs: null, p95TpotMs: null, sloAttainment: null, sloJudged: 0, ...o });
const minute = Date.UTC(2026, 0, 1, 8, 0);
const traffic: ServiceTraffic = {
  serviceId: 'svc-1',
  model: 'qwen2.5-7b',
  slo: { ttftMsP99: 500, tpotMsP99: 50 },
  fromMs: minute,
  toMs: minute + 90_000,
  windowMin: 2,
  total: fig({ requests: 30, errors: 1, requestsPerSec: 0.333, p95TtftMs: 300, p95TpotMs: 30, sloAttainment: 0.9, sloJudged: 29 }),
  perChip: [
    { chip: 'nvidia-h20', ...fig({ requests: 20, requestsPerSec: 0.222, p95TtftMs: 200, p95TpotMs: 20, sloAttainment: 1, sloJudged: 20 }) },
    { chip: 'nvidia-l20', ...fig({ requests: 10, errors: 1, requestsPerSec: 0.111, p95TtftMs: 300, p95TpotMs: 30, sloAttainment: 0.6667, sloJudged: 9 }) },
  ],
  series: [
    { minuteMs: minute, ...fig({ requests: 30, requestsPerSec: 0.5, sloAttainment: 0.9, sloJudged: 29 }) },
    { minuteMs: minute + 60_000, ...fig({}) },
  ],
};

afterEach(cleanup);

describe('TrafficView', () => {
  it('shows requests/s, p95 TTFT/TPOT and SLO attainment per chip and in total', () => {
    render(
      <I18nProvider initial="en">
        <TrafficView traffic={traffic} />
      </I18nProvider>,
    );
    const table = within(screen.getByTestId('traffic-svc-1'));
    expect(table.getByText('SLO attainment')).toBeTruthy();
    const cells = (chip: string) => [...document.querySelectorAll(`tr[data-chip="${chip}"] td`)].map((td) => td.textContent);
    expect(cells('nvidia-h20')).toEqual(['nvidia-h20', '0.22', '20', '0', '200', '20', '100%']);
    expect(cells('nvidia-l20')).toEqual(['nvidia-l20', '0.11', '10', '1', '300', '30', '66.7%']);
    expect(cells('*')).toEqual(['All chips', '0.33', '30', '1', '300', '30', '90%']);
  });

  it('speaks Chinese, and says so when there was no traffic', () => {
    render(
      <I18nProvider initial="zh-CN">
        <TrafficView traffic={traffic} />
        <TrafficView traffic={{ ...traffic, serviceId: 'idle', total: fig({}), perChip: [], series: [] }} />
      </I18nProvider>,
    );
    expect(screen.getByText('SLO 达成率')).toBeTruthy();
    expect(screen.getByText('全部芯片')).toBeTruthy();
    expect(screen.getByText('最近 2 分钟内没有经过网关的请求。')).toBeTruthy();
  });

  it('charts requests/s and attainment per minute, leaving minutes without judged requests empty', () => {
    const o = trafficChartOption(traffic, makeI18n('en', () => undefined)) as { series: { data: (number | null)[] }[]; xAxis: { data: string[] } };
    expect(o.xAxis.data).toHaveLength(2);
    expect(o.series[0]!.data).toEqual([0.5, 0]);
    expect(o.series[1]!.data).toEqual([90, null]);
  });
});
