import { useCallback, useState, type ReactNode } from 'react';
import { desktop, type PickOptions } from '../api/transport';
import { FilePicker } from '../components/FilePicker';

/**
 * pick() opens the native dialog in the desktop app and the in-app picker in browser mode; render
 * `element` somewhere in the screen for the latter.
 */
export function usePathPicker(): {
  pick: (options: PickOptions, startPath?: string) => Promise<string | null>;
  element: ReactNode;
} {
  const [request, setRequest] = useState<{
    options: PickOptions;
    startPath?: string | undefined;
    resolve: (p: string | null) => void;
  }>();
  const pick = useCallback((options: PickOptions, startPath?: string) => {
    const native = desktop();
    if (native) return native.pick(options);
    return new Promise<string | null>((resolve) => setRequest({ options, startPath, resolve }));
  }, []);
  const element = request ? (
    <FilePicker
      options={request.options}
      startPath={request.startPath}
      onDone={(path) => {
        request.resolve(path);
        setRequest(undefined);
      }}
    />
  ) : null;
  return { pick, element };
}
