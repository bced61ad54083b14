import { useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';

const query = () => window.matchMedia('(prefers-color-scheme: dark)');

/** Applies the user's theme choice to the document; "system" follows the OS live. */
export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
  window.dispatchEvent(new Event('clickpulse-theme'));
}

export function isDark(): boolean {
  const forced = document.documentElement.dataset.theme;
  return forced ? forced === 'dark' : query().matches;
}

/** True while the page shows the dark theme, whether chosen or inherited from the OS. */
export function useDarkMode(): boolean {
  const [dark, setDark] = useState(isDark);
  useEffect(() => {
    const update = () => setDark(isDark());
    const media = query();
    media.addEventListener('change', update);
    window.addEventListener('clickpulse-theme', update);
    return () => {
      media.removeEventListener('change', update);
      window.removeEventListener('clickpulse-theme', update);
    };
  }, []);
  return dark;
}
