import { BrushComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { Histogram } from '../../../../pipeline/contract';
import type { ChartOption } from '../../components/Chart';

// Brushing is this screen's own: the shared Chart registers what every screen needs, this adds the brush.
echarts.use([BrushComponent]);

/**
 * Matches per bucket as bars on a time axis; a horizontal brush (always on: the screen takes the brush cursor,
 * no toolbox, whose DOM uses inline styles the page's CSP refuses) or a click on a bar picks a range.
 */
export function histogramOption(histogram: Histogram): ChartOption {
  const width = histogram.bucketSeconds * 1000;
  return {
    // Drawn on the canvas: the HTML tooltip's markup carries inline styles, which the page's CSP refuses.
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText' },
    grid: { left: 56, right: 24, top: 28, bottom: 28 },
    brush: { xAxisIndex: 0, brushMode: 'single', brushType: 'lineX', throttleType: 'debounce' },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', name: 'events', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: 'events',
        barWidth: '90%',
        // Each bar sits in the middle of its bucket, so the axis reads as the bucket's time span.
        data: histogram.buckets.map(([t, n]) => [t + width / 2, n]),
      },
    ],
  };
}
