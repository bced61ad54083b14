import { useCall, useConnection } from './api/hooks';
import { ErrorBoundary } from './components/ErrorBoundary';
import { useSettings } from './lib/useSettings';
import { screenById, screens } from './screens/registry';
import { useHashRoute } from './useHashRoute';

export function App() {
  const [route, navigate] = useHashRoute('replay');
  const screen = screenById(route);
  const info = useCall('app.info', {});
  const connected = useConnection();
  const [settings, updateSettings] = useSettings();
  const Screen = screen.component;

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Screens">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          ClickPulse
        </div>
        <ul>
          {screens.map((s) => (
            <li key={s.id}>
              <a
                href={`#/${s.id}`}
                aria-current={s.id === screen.id ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(s.id);
                }}
              >
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content" aria-label={screen.label}>
        {!connected && (
          <div role="alert" className="banner error">
            Lost the connection to the workbench. Retrying…
          </div>
        )}
        <ErrorBoundary resetKey={screen.id}>
          <Screen screen={screen} />
        </ErrorBoundary>
      </main>
      <footer className="statusbar" aria-label="Status">
        {info.state === 'ready' && (
          <>
            <span>v{info.value.version}</span>
            <span>{info.value.transport === 'electron' ? 'Desktop' : 'Browser bridge'}</span>
            <span title="Lake folder">Lake: {info.value.lakeDir}</span>
          </>
        )}
        {info.state === 'loading' && <span>Connecting…</span>}
        {info.state === 'error' && <span className="error-text">Workbench unavailable: {info.message}</span>}
        <label className="theme-choice">
          Theme{' '}
          <select
            aria-label="Theme"
            value={settings?.theme ?? 'system'}
            onChange={(e) => void updateSettings({ theme: e.target.value as 'system' | 'light' | 'dark' })}
          >
            <option value="system">System</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <span className="attribution">Sample data: REES46 eCommerce behavior data (Open CDP)</span>
      </footer>
    </div>
  );
}
