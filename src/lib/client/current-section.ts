/**
 * Which section the reader is in, for the on-page contents: the last heading that has scrolled above
 * the reading line. Before the first heading, none is current.
 */
export function currentSection(headingTops: readonly number[], readingLine: number): number {
  let current = -1;
  for (const [index, top] of headingTops.entries()) {
    if (top > readingLine) break;
    current = index;
  }
  return current;
}

/**
 * Marks the contents link of the current section with aria-current="location" in every list of
 * `links` (a chapter shows the contents twice: in the side column and, on phones, folded at the top).
 */
export function trackCurrentSection(headings: readonly HTMLElement[], links: readonly HTMLAnchorElement[]): void {
  let scheduled = false;
  const update = () => {
    scheduled = false;
    // The sticky header covers the top of the viewport; a heading counts as passed a little below it.
    const readingLine = Math.min(window.innerHeight * 0.3, 160);
    const index = currentSection(
      headings.map((heading) => heading.getBoundingClientRect().top),
      readingLine,
    );
    const slug = index >= 0 ? headings[index]!.id : undefined;
    for (const link of links) {
      if (slug !== undefined && link.hash === `#${slug}`) link.setAttribute('aria-current', 'location');
      else link.removeAttribute('aria-current');
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(update);
  };
  addEventListener('scroll', schedule, { passive: true });
  addEventListener('resize', schedule, { passive: true });
  update();
}
