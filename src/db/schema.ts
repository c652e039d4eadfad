import type { CallsTables } from './schema/calls';
import type { FoundationTables } from './schema/foundation';
import type { OperationsTables } from './schema/operations';
import type { RegistryTables } from './schema/registry';
import type { ReportsTables } from './schema/reports';
import type { TelephonyTables } from './schema/telephony';
import type { TransparencyTables } from './schema/transparency';

export type * from './schema/foundation';
export type * from './schema/registry';
export type * from './schema/calls';
export type * from './schema/operations';
export type * from './schema/telephony';
export type * from './schema/transparency';
export type * from './schema/reports';

/** Every table, for Kysely. Each area declares its own tables in `schema/<area>.ts`. */
export interface Database extends FoundationTables, RegistryTables, CallsTables, OperationsTables, TelephonyTables, TransparencyTables, ReportsTables {}
