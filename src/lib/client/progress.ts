/** Which chapters the reader has read to the end, kept in this browser only. */
const storageKey = 'connlab:read-chapters';

export function readChapters(): Set<string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey) ?? '[]');
    return new Set(Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : []);
  } catch {
    return new Set();
  }
}

export function markRead(chapterId: string): void {
  const read = readChapters();
  if (read.has(chapterId)) return;
  read.add(chapterId);
  try {
    localStorage.setItem(storageKey, JSON.stringify([...read]));
  } catch {
    return;
  }
  document.dispatchEvent(new CustomEvent('connlab:progress'));
}
