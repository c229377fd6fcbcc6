/** One table of `npm run bench` (scripts/bench.mjs prints it): what every module in scripts/bench/ returns. */
export interface Section {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  notes?: string[];
}
