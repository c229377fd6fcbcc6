/**
 * The AWS SDK v3 `requestHandler` that routes a real `RDSDataClient` to the emulator in the same
 * process (the Worker has no network to go to). The SDK signs and serializes as usual.
 */
import { emulatorRequestHandler, type EmulatorRequestHandler } from '../net/emulated-http.ts';
import type { DataApiEmulator } from './emulator.ts';

/** `new RDSDataClient({ region, credentials, requestHandler: dataApiRequestHandler(emulator) })`. */
export function dataApiRequestHandler(emulator: DataApiEmulator): EmulatorRequestHandler {
  return emulatorRequestHandler({ respond: (request, body) => emulator.respond(request.path, body) });
}
