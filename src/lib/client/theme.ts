/** The reader's theme: an explicit choice in localStorage, or the operating system's preference. */
export type Theme = 'light' | 'dark';

const storageKey = 'connlab:theme';

export function currentTheme(): Theme {
  const explicit = document.documentElement.dataset.theme;
  if (explicit === 'light' || explicit === 'dark') return explicit;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function setTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(storageKey, theme);
  } catch {
    // Storage can be disabled; the choice then lasts for this page only.
  }
}
