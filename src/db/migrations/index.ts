import type { Migration } from 'kysely';
import * as foundation from './0001-foundation';
import * as registry from './0002-registry';
import * as calls from './0003-calls';
import * as operations from './0004-operations';
import * as telephony from './0005-telephony';
import * as callsConsole from './0006-calls-console';
import * as operationsClaimsReportsShifts from './0007-operations';
import * as callLifecycle from './0008-call-lifecycle';
import * as correctionsFollowups from './0009-corrections-followups';
import * as signInThrottles from './0010-sign-in-throttles';
import * as passkeysDevices from './0011-passkeys-devices';
import * as statementErasures from './0012-statement-erasures';
import * as transparencyLog from './0013-transparency-log';
import * as reportsStories from './0014-reports-stories';
import * as dutyAndQueueHistory from './0015-duty-and-queue-history';

/**
 * Every migration, in order. One set for SQLite and PostgreSQL. Imported statically (not read from
 * a folder) so that the CLI, the server and tests run the same list however they are started.
 * Later changes to an area go in new files after these (0006-..., 0007-...).
 */
export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-registry': registry,
  '0003-calls': calls,
  '0004-operations': operations,
  '0005-telephony': telephony,
  '0006-calls-console': callsConsole,
  '0007-operations': operationsClaimsReportsShifts,
  '0008-call-lifecycle': callLifecycle,
  '0009-corrections-followups': correctionsFollowups,
  '0010-sign-in-throttles': signInThrottles,
  '0011-passkeys-devices': passkeysDevices,
  '0012-statement-erasures': statementErasures,
  '0013-transparency-log': transparencyLog,
  '0014-reports-stories': reportsStories,
  '0015-duty-and-queue-history': dutyAndQueueHistory,
};
