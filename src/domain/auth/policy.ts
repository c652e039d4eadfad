import { AppError } from '../../shared/app-error';

/** Staff roles, from least to most trusted for personal data (the auditor reads only the audit log). */
export const Roles = ['volunteer', 'coordinator', 'admin', 'auditor'] as const;
/** A staff role. */
export type Role = (typeof Roles)[number];

/** Who is acting: a signed-in staff member. */
export interface Actor {
  id: string;
  role: Role;
  username: string;
}

/** A record a rule may look at: who owns it and when it was made. */
export interface PolicyResource {
  ownerId?: string | null;
  createdAt?: number;
  role?: Role;
}

type Rule = (actor: Actor, resource: PolicyResource | undefined, now: number) => boolean;

const isRole =
  (...roles: Role[]): Rule =>
  (actor) =>
    roles.includes(actor.role);
const isOwner: Rule = (actor, resource) => resource?.ownerId != null && resource.ownerId === actor.id;
const either =
  (...rules: Rule[]): Rule =>
  (actor, resource, now) =>
    rules.some((rule) => rule(actor, resource, now));
const both =
  (...rules: Rule[]): Rule =>
  (actor, resource, now) =>
    rules.every((rule) => rule(actor, resource, now));
const createdWithinHours =
  (hours: number): Rule =>
  (_actor, resource, now) =>
    resource?.createdAt !== undefined && now - resource.createdAt < hours * 3_600_000;

/**
 * Every action and who may do it. Deny by default: an action missing here is refused to everyone.
 * Rules are small predicates so that the table reads as the policy itself.
 */
export const policies = {
  // accounts and sessions
  'user.list': isRole('coordinator', 'admin'),
  'user.invite': isRole('admin'),
  'user.disable': isRole('admin'),
  'user.change-role': isRole('admin'),
  'user.reset-second-factor': isRole('admin'),
  'user.read-contact': isRole('admin'),
  'session.revoke-any': isRole('admin'),
  'settings.sign-in': isRole('admin'),
  // audit
  'audit.read': isRole('admin', 'auditor'),
  'audit.verify': isRole('admin', 'auditor'),
  // statements
  'statement.register': isRole('volunteer', 'coordinator', 'admin'),
  'statement.moderate': isRole('coordinator', 'admin'),
  'statement.correct': isRole('coordinator', 'admin'),
  'statement.erase': isRole('admin'),
  'statement.search': isRole('coordinator', 'admin'),
  'statement.review-held': isRole('admin'),
  'statement.read-real-name': isRole('coordinator', 'admin'),
  'statement.read': either(isOwner, isRole('coordinator', 'admin')),
  // calls
  'call.create': isRole('volunteer', 'coordinator', 'admin'),
  'call.read': either(isOwner, isRole('coordinator', 'admin')),
  'call.edit': either(both(isOwner, createdWithinHours(24)), isRole('admin')),
  'call.read-notes': either(isOwner, isRole('coordinator', 'admin')),
  'call.list-all': isRole('coordinator', 'admin'),
  'followup.create': isRole('volunteer', 'coordinator', 'admin'),
  'followup.read': isRole('admin'),
  // operations
  'script.edit': isRole('coordinator', 'admin'),
  'campaign.manage': isRole('coordinator', 'admin'),
  'shift.assign': isRole('coordinator', 'admin'),
  'presence.view-all': isRole('coordinator', 'admin'),
  'donotcall.manage': isRole('coordinator', 'admin'),
  'calllist.import': isRole('coordinator', 'admin'),
  'calllist.read': isRole('coordinator', 'admin'),
  'campaign.read': isRole('volunteer', 'coordinator', 'admin'),
  'campaign.claim': isRole('volunteer', 'coordinator', 'admin'),
  'callback.read': isRole('volunteer', 'coordinator', 'admin'),
  'shift.signup': isRole('volunteer', 'coordinator', 'admin'),
  'shift.view': isRole('volunteer', 'coordinator', 'admin'),
  'shift.set-minimum': isRole('coordinator', 'admin'),
  'presence.set-own': isRole('volunteer', 'coordinator', 'admin'),
  'queue.simulate': isRole('coordinator', 'admin'),
  'queue.metrics': isRole('coordinator', 'admin'),
  // reports
  'report.dashboard': isRole('coordinator', 'admin'),
  'report.own': isRole('volunteer', 'coordinator', 'admin'),
  'story.manage': isRole('coordinator', 'admin'),
  // telephony
  'telephony.softphone': isRole('volunteer', 'coordinator', 'admin'),
  // system
  'keys.rotate': isRole('admin'),
  'stats.rebuild': isRole('admin'),
} satisfies Record<string, Rule>;

/** Every action a policy exists for. */
export type Action = keyof typeof policies;

/** Whether `actor` may do `action` (on `resource`, when the rule looks at one). */
export function can(actor: Actor | null | undefined, action: Action, resource?: PolicyResource, now = Date.now()): boolean {
  if (!actor) return false;
  const rule: Rule | undefined = policies[action];
  // Actions arrive from untyped places too (tests, future plugins): an unknown one is denied.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  return rule !== undefined && rule(actor, resource, now);
}

/** Throws FORBIDDEN unless `actor` may do `action`. */
export function authorize(actor: Actor, action: Action, resource?: PolicyResource, now = Date.now()): void {
  if (!can(actor, action, resource, now)) throw new AppError('FORBIDDEN', `Not allowed: ${action}`);
}

/** Narrows a string to a Role. */
export function isRoleName(value: string): value is Role {
  return (Roles as readonly string[]).includes(value);
}
