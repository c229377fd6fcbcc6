/** A thin, typed door onto Pagefind's browser API, loaded only when the reader searches. */
export interface SearchResult {
  url: string;
  title: string;
  /** Pagefind's excerpt: plain text with matches wrapped in <mark>. */
  excerpt: string;
}

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
}

interface Pagefind {
  options(options: { baseUrl?: string }): Promise<void>;
  search(query: string): Promise<{ results: Array<{ data(): Promise<PagefindResultData> }> }>;
}

let pagefind: Promise<Pagefind> | undefined;

function load(): Promise<Pagefind> {
  const base = import.meta.env.BASE_URL;
  // The index is generated after the site is built, so the bundler must not try to resolve it.
  const url = base + 'pagefind/pagefind.js';
  pagefind ??= import(/* @vite-ignore */ url).then(async (module: Pagefind) => {
    await module.options({ baseUrl: base });
    return module;
  });
  return pagefind;
}

export async function searchGuide(query: string, limit = 10): Promise<SearchResult[]> {
  const engine = await load();
  const { results } = await engine.search(query);
  const data = await Promise.all(results.slice(0, limit).map((result) => result.data()));
  return data.map((d) => ({ url: d.url, title: d.meta.title ?? d.url, excerpt: d.excerpt }));
}
