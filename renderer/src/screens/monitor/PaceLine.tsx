import type { ReplayProgress, RunSummary } from '../../../../pipeline/contract';
import { formatDecimal, formatInteger } from '../../lib/format';

/**
 * Achieved against the asked-for pace, from the Workbench's run summary; when the target is missed, the
 * warning names the stage that held the run back.
 */
export function PaceLine({ progress, run }: { progress: ReplayProgress; run: RunSummary | undefined }) {
  if (!run) return null;
  const average = `${formatInteger(Math.round(run.averageRate))} events/s on average`;
  const target =
    run.targetRate !== null
      ? `target ${formatInteger(run.targetRate)} events/s`
      : run.targetSpeed !== null
        ? `target ×${formatInteger(run.targetSpeed)}${
            run.achievedSpeed !== null ? `, achieved ×${formatDecimal(run.achievedSpeed, 1)}` : ''
          }`
        : 'max speed';
  return (
    <>
      <p className="muted" data-testid="pace" aria-label="Achieved against target">
        {progress.state === 'starting' ? 'Starting…' : `${average} (${target})`}
      </p>
      {run.warning && (
        <p className="banner notice" role="status" data-testid="pace-warning">
          {run.warning}
        </p>
      )}
    </>
  );
}
