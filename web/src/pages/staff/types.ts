// The staff API's shapes the console's pages share (src/server/staff_routes.cpp).
import type { Application } from '../../api';

export interface QueueItem {
  application: Application;
  due: string;
  overdue: boolean;
  reviewer: string;
}

export interface Desk {
  application: Application;
  review_due: string;
  ship_due: string | null;
  overdue: boolean;
  desk: Record<string, string | boolean | number | string[] | null>;
}

export interface Token {
  serial: string;
  driver: string;
  label: string;
  state: string;
}

// What each part of the console needs (ra/duties.cpp: which roles hold which duty); the
// navigation shows a part only to the roles that may use it, and the server refuses the rest.
export const CONSOLE_ROLES = {
  tokens: ['issuer', 'counter_clerk'],
  counter: ['counter_clerk'],
  certificates: ['ca_operator', 'auditor', 'admin'],
  revoke: ['ca_operator'],
  audit: ['auditor', 'admin'],
  confirmPayment: ['reviewer', 'counter_clerk', 'admin'],
} as const;

export function mayUse(roles: string[], part: keyof typeof CONSOLE_ROLES): boolean {
  return (CONSOLE_ROLES[part] as readonly string[]).some((r) => roles.includes(r));
}
