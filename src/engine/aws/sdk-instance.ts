/**
 * A new instance of an SDK bundle (host/sdk-packages.ts, host/sdk-bundle.ts) for one run: the bundle's text is
 * compiled once per process (the costly part) and its module body runs once per run, so every
 * object of the SDK (command prototypes, protocol objects, schemas, registries) belongs to that run.
 * Trusted code, run like `pg`'s shared packages: the engine's realm, no timers (retries are off).
 */
import { compileCommonJs, instantiateShared, type CompiledModule } from '../lambda/modules.ts';
import type { SdkBundle } from '../host/sdk-packages.ts';

export type SdkModule = Record<string, unknown>;

const compiled = new Map<string, CompiledModule>();

/** Every package of `bundle`, by name, evaluated afresh from the text `source` gives. */
export async function sdkInstance(bundle: SdkBundle, source: (bundle: SdkBundle) => Promise<string>): Promise<Record<string, SdkModule>> {
  const text = await source(bundle);
  let module = compiled.get(text);
  if (!module) compiled.set(text, (module = compileCommonJs(text)));
  return (instantiateShared(module) as { default: Record<string, SdkModule> }).default;
}
