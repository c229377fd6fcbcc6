/**
 * `EventEmitter` from the `events` npm package, in Node as in the Worker (where `events` is that
 * package anyway). Handler code reaches it through prototype chains (`process`, a `pg` client, a
 * virtual socket), so the engine hardens it (lambda/isolation.ts); Node's own EventEmitter cannot be
 * frozen without breaking Node's streams, whose instances assign a non-configurable property
 * (`kCapture`) that EventEmitter.prototype defines.
 */
import EventEmitterPackage from 'events/events.js';
import type { EventEmitter as EventEmitterType } from 'events';

export const EventEmitter = EventEmitterPackage as unknown as typeof EventEmitterType;
export type EventEmitter = EventEmitterType;
