/**
 * The picture chapter 1 opens with: each concurrent invocation runs in its own execution environment,
 * each environment asks for one connection, and the database has a fixed number of slots, the last
 * few kept for superusers. Pure, so the figure and its tests agree.
 */
export interface SlotState {
  /** Environments running at once (one per concurrent invocation on Lambda's default compute). */
  readonly environments: number;
  /** Environments that hold a connection: at most the slots an ordinary role may use. */
  readonly connected: number;
  /** Environments turned away with SQLSTATE 53300. */
  readonly refused: number;
  /** Slots an ordinary role can use: max_connections minus the reserved ones. */
  readonly usable: number;
}

export function slotState(environments: number, maxConnections: number, reserved: number): SlotState {
  const usable = Math.max(0, maxConnections - reserved);
  const running = Math.max(0, Math.floor(environments));
  const connected = Math.min(running, usable);
  return { environments: running, connected, refused: running - connected, usable };
}

/** The sentence under the figure, read by screen readers when the slider moves. */
export function describeSlots(state: SlotState, maxConnections: number, errorMessage: string): string {
  const running = `${state.environments} concurrent invocation${state.environments === 1 ? '' : 's'}`;
  if (state.refused === 0) {
    const free = state.usable - state.connected;
    return `${running}: each holds one of the ${maxConnections} slots; ${free} usable slot${free === 1 ? '' : 's'} left.`;
  }
  return `${running}: ${state.connected} hold a connection, ${state.refused} refused with FATAL 53300 “${errorMessage}”.`;
}
