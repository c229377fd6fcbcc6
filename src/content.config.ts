/**
 * The guide's content: chapters (MDX prose) and sandboxes (data + handler code, shared with the
 * engine, the CLI and the tests). The schemas are the documentation of the formats: every field says
 * what it is for. A chapter that names a sandbox which does not exist fails the build, naming the file.
 */
import { defineCollection, reference } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { sandboxSchema } from './sandboxes/schema.ts';

const source = z.object({
  title: z.string().min(1).describe('The title of the page or document, as its publisher gives it.'),
  url: z.url({ protocol: /^https$/ }).describe('A public https URL a reader can open to check the claim.'),
});

const chapters = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './content/chapters' }),
  schema: z
    .object({
      title: z.string().min(3).max(70).describe('The chapter title, shown in the sidebar and as the page heading.'),
      description: z
        .string()
        .min(40)
        .max(200)
        .describe('One or two sentences: what the reader will understand after the chapter. Used for search and previews.'),
      order: z.number().int().positive().describe('Position in the guide. Unique; the sidebar and previous/next links follow it.'),
      sandboxes: z
        .array(reference('sandboxes'))
        .default([])
        .describe('Ids of the sandboxes (folders under sandboxes/) that the chapter embeds.'),
      sources: z.array(source).min(1).describe('The public sources the chapter relies on, listed at its end.'),
      lastReviewed: z.coerce.date().describe('When the facts in the chapter were last checked against the sources.'),
    })
    .strict(),
});

const sandboxes = defineCollection({
  loader: glob({
    pattern: '*/sandbox.json',
    base: './sandboxes',
    generateId: ({ entry }) => entry.split('/')[0] ?? entry,
  }),
  // A pipe, because Astro extends plain object schemas with `$schema` and this one has refinements.
  schema: z.unknown().pipe(sandboxSchema),
});

export const collections = { chapters, sandboxes };
