/**
 * Shiki in the browser for the file previews, loaded on first use: its JavaScript regex engine
 * (no WebAssembly) and only the grammars the generated projects contain.
 */
import type { HighlighterCore } from 'shiki/core';

const languageByExtension: Record<string, string> = {
  ts: 'typescript',
  mjs: 'javascript',
  js: 'javascript',
  py: 'python',
  json: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  tf: 'hcl',
  sh: 'shellscript',
  md: 'markdown',
  sql: 'sql',
  toml: 'toml',
};

let highlighter: Promise<HighlighterCore> | undefined;

function load(): Promise<HighlighterCore> {
  highlighter ??= Promise.all([import('shiki/core'), import('shiki/engine/javascript')]).then(([core, engine]) =>
    core.createHighlighterCore({
      // The high-contrast GitHub themes keep every token at 4.5:1 or better (github-light's orange is 3.5:1).
      themes: [import('@shikijs/themes/github-light-high-contrast'), import('@shikijs/themes/github-dark-high-contrast')],
      langs: [
        import('@shikijs/langs/typescript'),
        import('@shikijs/langs/javascript'),
        import('@shikijs/langs/python'),
        import('@shikijs/langs/json'),
        import('@shikijs/langs/yaml'),
        import('@shikijs/langs/hcl'),
        import('@shikijs/langs/shellscript'),
        import('@shikijs/langs/markdown'),
        import('@shikijs/langs/sql'),
        import('@shikijs/langs/toml'),
      ],
      engine: engine.createJavaScriptRegexEngine(),
    }),
  );
  return highlighter;
}

/** A highlighted <pre> for the file, or undefined for plain text. */
export async function highlight(code: string, path: string): Promise<HTMLElement | undefined> {
  const extension = path.split('.').pop() ?? '';
  const lang = languageByExtension[extension];
  if (!lang) return undefined;
  const shiki = await load();
  const html = shiki.codeToHtml(code, {
    lang,
    themes: { light: 'github-light-high-contrast', dark: 'github-dark-high-contrast' },
    defaultColor: false,
  });
  const template = document.createElement('template');
  // Shiki escapes the code it highlights; the markup is its own spans.
  template.innerHTML = html;
  return template.content.firstElementChild as HTMLElement | undefined;
}
