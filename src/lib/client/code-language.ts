/** The reader's preferred language for examples, shared by every tab set on every page. */
export type CodeLanguage = 'node' | 'python';

const storageKey = 'connlab:code-lang';

export function chosenLanguage(): CodeLanguage {
  return document.documentElement.dataset.codeLang === 'python' ? 'python' : 'node';
}

export function chooseLanguage(lang: CodeLanguage): void {
  document.documentElement.dataset.codeLang = lang;
  try {
    localStorage.setItem(storageKey, lang);
  } catch {
    // Without storage the choice lasts for this page.
  }
}
