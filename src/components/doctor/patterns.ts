/**
 * The patterns a pasted handler can run through on the "Check your handler" page: each is a
 * sandbox's world (its database, traffic and, for RDS Proxy, the proxy) with the reader's handler in
 * place of the sandbox's own.
 */
import { OWN_HANDLER_PATTERNS, type OwnHandlerPattern } from '../../run/own-handler.ts';

export type DoctorPattern = OwnHandlerPattern;

export interface DoctorPatternChoice {
  id: DoctorPattern;
  /** The sandbox whose world the handler runs in. */
  sandbox: string;
  label: string;
  description: string;
  /** The handler reaches the database through RDS Proxy: the doctor then checks for pinning, not for connections per invocation. */
  proxy: boolean;
}

export const doctorPatterns: readonly DoctorPatternChoice[] = [
  {
    id: 'direct',
    sandbox: OWN_HANDLER_PATTERNS.direct,
    label: 'Direct, a spike',
    description: 'Straight to the database, under the spike of the chapter "The problem": callers arrive over 2 s and call again 1 s after each answer, for 12 s.',
    proxy: false,
  },
  {
    id: 'module-pool',
    sandbox: OWN_HANDLER_PATTERNS['module-pool'],
    label: 'Direct, steady load',
    description: 'Straight to the database, under the load of the chapter "Pools per execution environment": callers call again 0.1 s after each answer, for 15 s.',
    proxy: false,
  },
  {
    id: 'rds-proxy',
    sandbox: OWN_HANDLER_PATTERNS['rds-proxy'],
    label: 'Through RDS Proxy',
    description: "Through RDS Proxy, whose pool shares the database's connections among the function's: a 2.5 s spike, as in the chapter \"RDS Proxy\".",
    proxy: true,
  },
];

export const isDoctorPattern = (value: string): value is DoctorPattern => doctorPatterns.some((pattern) => pattern.id === value);
