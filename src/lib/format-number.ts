/**
 * Numbers with thousands separators, by hand rather than toLocaleString('en-US'):
 * - once the engine has locked the realm down (engine/lambda/isolation.ts, in the CLI's process and
 *   the page's Worker) toLocaleString ignores its locale and options;
 * - on a page, the first toLocaleString call starts the browser's ICU number formatting, measured at
 *   65–360 ms on a 4× slowed CPU: the wizard, the doctor and every sandbox's share-link module paid
 *   it while loading, as blocking time, and a sandbox that did not would pay it as a run ends.
 */
export function formatNumber(value: number, fractionDigits = Number.isInteger(value) ? 0 : 1): string {
  const [whole, fraction] = Math.abs(value).toFixed(fractionDigits).split('.');
  return `${value < 0 ? '-' : ''}${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction ? `.${fraction}` : ''}`;
}
