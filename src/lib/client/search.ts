/**
 * A thin, typed door onto Pagefind's browser API, loaded only when the reader searches. Pagefind
 * compiles its WebAssembly in its own Worker (pagefind-worker.js), so no page needs
 * 'wasm-unsafe-eval' for search.
 */
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

/** Starts loading the index before the first keystroke (when the search box opens). */
export function prepareSearch(): void {
  load().catch(() => {
    // The first search reports the failure with a message; a warm-up has nobody to tell.
    pagefind = undefined;
  });
}

export async function searchGuide(query: string, limit = 10): Promise<SearchResult[]> {
  const engine = await load();
  const { results } = await engine.search(query);
  const data = await Promise.all(results.slice(0, limit).map((result) => result.data()));
  return data.map((d) => ({ url: d.url, title: d.meta.title ?? d.url, excerpt: d.excerpt }));
}

/** One list item per result: the title as a link, the excerpt built from text so no markup is trusted. */
function resultItems(results: readonly SearchResult[]): HTMLLIElement[] {
  return results.map((result) => {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = result.url;
    link.textContent = result.title;
    const excerpt = document.createElement('p');
    for (const [index, part] of result.excerpt.split(/<\/?mark>/).entries()) {
      if (index % 2) {
        const mark = document.createElement('mark');
        mark.textContent = part;
        excerpt.append(mark);
      } else {
        excerpt.append(part);
      }
    }
    item.append(link, excerpt);
    return item;
  });
}

function resultCount(query: string, count: number): string {
  return count ? `${count} result${count === 1 ? '' : 's'} for “${query}”.` : `Nothing found for “${query}”.`;
}

function unavailable(error: unknown): string {
  return `Search is unavailable: ${error instanceof Error ? error.message : String(error)}. It works on the built site (npm start).`;
}

export interface ResultsView {
  /** Searches and renders; an answer to an older query never replaces a newer one. */
  show(query: string): Promise<void>;
}

/** The results list and its status line, shared by the search page and the header's dialog. */
export function resultsView(list: HTMLOListElement, status: HTMLElement): ResultsView {
  let latest = 0;
  return {
    async show(query) {
      const ticket = ++latest;
      if (!query.trim()) {
        list.replaceChildren();
        status.textContent = '';
        return;
      }
      status.textContent = 'Searching…';
      try {
        const results = await searchGuide(query);
        if (ticket !== latest) return;
        list.replaceChildren(...resultItems(results));
        status.textContent = resultCount(query, results.length);
      } catch (error) {
        if (ticket === latest) status.textContent = unavailable(error);
      }
    },
  };
}
