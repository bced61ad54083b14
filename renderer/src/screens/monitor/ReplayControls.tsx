import { useCallback, useEffect, useState } from 'react';
import type { ReplayProgress } from '../../../../pipeline/contract';
import { api } from '../../api/client';
import { isTypingTarget } from './monitor-logic';

interface Props {
  progress: ReplayProgress;
  /** The answer of pause/resume/stop, shown at once instead of waiting for the next event. */
  onChange: (p: ReplayProgress) => void;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const STOP_SHORTCUT = isMac ? '⌘+.' : 'Ctrl+.';

/** Pause / Resume / Stop, also on Space and Ctrl/Cmd+. whenever the focus is not in a field. */
export function ReplayControls({ progress, onChange }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const { state } = progress;
  const canPause = state === 'running' || state === 'starting';
  const canResume = state === 'paused';
  const canStop = canPause || canResume;

  const run = useCallback(
    async (name: 'replay.pause' | 'replay.resume' | 'replay.stop') => {
      setBusy(true);
      setError(undefined);
      try {
        onChange(await api().call(name, {}));
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      } finally {
        setBusy(false);
      }
    },
    [onChange],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTypingTarget(event.target) || busy) return;
      const tag = (event.target as HTMLElement | null)?.tagName;
      if (event.key === ' ' && !event.ctrlKey && !event.metaKey && !event.altKey) {
        // A focused button already acts on Space by itself.
        if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY') return;
        if (canPause || canResume) {
          event.preventDefault();
          void run(canPause ? 'replay.pause' : 'replay.resume');
        }
      } else if (event.key === '.' && (event.ctrlKey || event.metaKey) && canStop) {
        event.preventDefault();
        void run('replay.stop');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, canPause, canResume, canStop, run]);

  return (
    <div className="monitor-controls">
      {canResume ? (
        <button
          type="button"
          className="primary"
          disabled={busy}
          title="Resume the replay (Space)"
          aria-keyshortcuts="Space"
          onClick={() => void run('replay.resume')}
        >
          Resume
        </button>
      ) : (
        <button
          type="button"
          disabled={busy || !canPause}
          title="Pause the replay; its position is kept (Space)"
          aria-keyshortcuts="Space"
          onClick={() => void run('replay.pause')}
        >
          Pause
        </button>
      )}
      <button
        type="button"
        disabled={busy || !canStop}
        title={`Stop the replay; a later run of the same file and topic resumes here (${STOP_SHORTCUT})`}
        aria-keyshortcuts="Control+. Meta+."
        onClick={() => void run('replay.stop')}
      >
        Stop
      </button>
      <span className="muted">Space pauses or resumes · {STOP_SHORTCUT} stops</span>
      {error && (
        <span role="alert" className="error-text">
          {error}
        </span>
      )}
    </div>
  );
}
