import { EmptyState } from '../components/EmptyState';
import type { ScreenDef } from './registry';

/** A screen whose pipeline calls are not in this build yet: it says what it will do, and nothing pretends. */
export function PlannedScreen({ screen }: { screen: ScreenDef }) {
  return (
    <EmptyState title={screen.label}>
      <p>{screen.description}</p>
      <p className="muted">Not available in this build yet.</p>
    </EmptyState>
  );
}
