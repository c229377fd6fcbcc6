/**
 * The AWS SDK v3 `requestHandler` that routes a real `SecretsManagerClient` to the emulator, after the
 * call's latency on the virtual clock when one is given.
 */
import { emulatorRequestHandler, header, type EmulatorRequestHandler } from '../net/emulated-http.ts';
import type { SecretsManagerEmulator } from './emulator.ts';

export function secretsManagerRequestHandler(emulator: SecretsManagerEmulator, options: { latency?: () => Promise<void> } = {}): EmulatorRequestHandler {
  const { latency } = options;
  return emulatorRequestHandler({
    ...(latency ? { latency: () => latency() } : {}),
    respond: (request, body) => emulator.respond(header(request.headers, 'x-amz-target'), body),
  });
}
