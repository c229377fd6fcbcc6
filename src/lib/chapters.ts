/** The guide's chapters in reading order, with their neighbours. */
import { getCollection, getEntry, type CollectionEntry } from 'astro:content';

export type Chapter = CollectionEntry<'chapters'>;

export interface ChapterLink {
  id: string;
  title: string;
  href: string;
  /** 1-based position among the published chapters (frontmatter `order` only sorts). */
  number: number;
}

export const chapterHref = (id: string): string => `${import.meta.env.BASE_URL}guide/${id}/`;

export async function getChapters(): Promise<Chapter[]> {
  const chapters = await getCollection('chapters');
  chapters.sort((a, b) => a.data.order - b.data.order);
  for (let i = 1; i < chapters.length; i++) {
    const [previous, current] = [chapters[i - 1]!, chapters[i]!];
    if (previous.data.order === current.data.order) {
      throw new Error(
        `content/chapters: "${previous.id}" and "${current.id}" both have order ${current.data.order}; each chapter needs its own place.`,
      );
    }
  }
  await assertSandboxesExist(chapters);
  return chapters;
}

/**
 * Astro only logs a dangling `reference()`; a chapter that promises a sandbox which does not exist
 * must fail the build instead, naming the file and the field.
 */
async function assertSandboxesExist(chapters: Chapter[]): Promise<void> {
  for (const chapter of chapters) {
    for (const [index, sandbox] of chapter.data.sandboxes.entries()) {
      if (!(await getEntry(sandbox))) {
        throw new Error(
          `${chapter.filePath ?? chapter.id}: field "sandboxes[${index}]" names "${sandbox.id}", but there is no sandboxes/${sandbox.id}/sandbox.json.`,
        );
      }
    }
  }
}

export const toLink = (chapter: Chapter, index: number): ChapterLink => ({
  id: chapter.id,
  title: chapter.data.title,
  href: chapterHref(chapter.id),
  number: index + 1,
});
