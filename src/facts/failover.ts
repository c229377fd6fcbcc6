/**
 * What the connect-timeout sandbox's fixed handler sets apart from the generated projects' client
 * settings (starter-code.ts `clientSettings`), the bound its lesson is about.
 */
import type { Fact } from './fact.ts';

export const failoverClient = {
  /** pg's connectionTimeoutMillis in the fixed handler: how long one attempt to open a connection may take. */
  connectTimeout: {
    value: 2,
    unit: 's',
    source: 'assumption',
    calibrate:
      'A healthy instance in the same VPC completes TCP, start-up and authentication in tens of milliseconds, so 2 s is a wide margin that still frees the environment (and its unit of concurrency) long before a 30 s function timeout. Check yours: the slowest pool.connect() your logs show outside an incident, with room to spare.',
  },
} satisfies Record<string, Fact>;
