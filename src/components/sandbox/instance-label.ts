/**
 * An instance class as a choice shows it: its name and nominal max_connections ("db.t3.micro · 112"),
 * short enough for a phone's select; the help beside the select says what the figure is.
 */
import { findInstanceClass, nominalMaxConnections } from '../../facts/postgres.ts';
import { formatNumber } from '../../lib/format-number.ts';

export function instanceClassLabel(id: string): string {
  const instance = findInstanceClass(id);
  return instance ? `${id} · ${formatNumber(nominalMaxConnections(instance))}` : id;
}

export const instanceClassHelp = 'The figure beside each class is its nominal max_connections.';
