/** The guide's chapters in reading order, with their neighbours. */
import { getCollection, type CollectionEntry } from 'astro:content';

export type Chapter = CollectionEntry<'chapters'>;

export interface ChapterLink {
  id: string;
  title: string;
  href: string;
  order: number;
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
  return chapters;
}

export const toLink = (chapter: Chapter): ChapterLink => ({
  id: chapter.id,
  title: chapter.data.title,
  href: chapterHref(chapter.id),
  order: chapter.data.order,
});
