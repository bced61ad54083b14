import type { ComponentType } from 'react';
import { DashboardsScreen } from './dashboards/DashboardsScreen';
import { ExploreScreen } from './explore/ExploreScreen';
import { JourneyScreen } from './explore/JourneyScreen';
import { LineageScreen } from './explore/LineageScreen';
import { QualityScreen } from './explore/QualityScreen';
import { ExportScreen } from './export/ExportScreen';
import { LakeScreen } from './lake/LakeScreen';
import { MonitorScreen } from './monitor/MonitorScreen';
import { ReplayScreen } from './replay/ReplayScreen';
import { SqlScreen } from './sql/SqlScreen';
import { TopicsScreen } from './topics/TopicsScreen';

export interface ScreenDef {
  id: string;
  label: string;
  description: string;
  component: ComponentType<{ screen: ScreenDef }>;
}

/** The navigation, in the order of an analyst's workflow. */
export const screens: ScreenDef[] = [
  {
    id: 'replay',
    label: 'Replay',
    description:
      'Pick a clickstream file (or the bundled REES46 sample), map its columns and replay it onto a Kafka topic.',
    component: ReplayScreen,
  },
  {
    id: 'monitor',
    label: 'Monitor',
    description:
      'Watch a replay stream: produced and consumed events per second, consumer lag, rows per lake layer.',
    component: MonitorScreen,
  },
  {
    id: 'topics',
    label: 'Topics',
    description:
      'Topics, partitions and offsets, consumer groups and their lag, and a live tail of messages.',
    component: TopicsScreen,
  },
  {
    id: 'lake',
    label: 'Lake',
    description:
      'Browse Bronze, Silver and Gold: tables, partitions and files, in a grid that scrolls through millions of rows.',
    component: LakeScreen,
  },
  {
    id: 'sql',
    label: 'SQL',
    description: 'Run read-only DuckDB SQL over every layer of the lake and save the result.',
    component: SqlScreen,
  },
  {
    id: 'explore',
    label: 'Explore',
    description: 'Search every event with a query bar, see the matches over time, and save searches.',
    component: ExploreScreen,
  },
  {
    id: 'journey',
    label: 'Journeys',
    description:
      'One user’s sessions and events in order, with gaps, products and prices, and their Gold row.',
    component: JourneyScreen,
  },
  {
    id: 'lineage',
    label: 'Lineage',
    description: 'Trace any Gold figure to the Silver rows, Bronze offsets and source-file lines behind it.',
    component: LineageScreen,
  },
  {
    id: 'quality',
    label: 'Data quality',
    description: 'Quarantined records, dead letters, duplicates and late events per day and reason.',
    component: QualityScreen,
  },
  {
    id: 'dashboards',
    label: 'Dashboards',
    description:
      'Live charts over Gold: KPIs, traffic, the conversion funnel, revenue by category, heatmaps.',
    component: DashboardsScreen,
  },
  {
    id: 'export',
    label: 'Export',
    description: 'Export Gold tables as CSV, Parquet, Excel or Tableau data sources.',
    component: ExportScreen,
  },
];

export function screenById(id: string): ScreenDef {
  // A screen may keep its state after "?" (#/explore?q=…).
  const base = id.split('?')[0];
  return screens.find((s) => s.id === base) ?? (screens[0] as ScreenDef);
}
