import type { SandboxSource } from '../../sandboxes/schema.ts';

/** The sandbox's definition and files, as the page carries them (Sandbox.astro's JSON script). */
export function readSandboxSource(root: Element): SandboxSource {
  return JSON.parse(root.querySelector('[data-sandbox-source]')?.textContent ?? '{}') as SandboxSource;
}
