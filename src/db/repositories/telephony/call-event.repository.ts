import type { TelephonyCallEventsTable } from '../../schema/telephony';
import type { Executor } from '../../store';

/** One stored provider event. */
export type CallEventRow = TelephonyCallEventsTable;

/** A provider event to store; the number, when any, is already encrypted. */
export type NewCallEvent = TelephonyCallEventsTable;

/** The telephony event log; append-only. */
export class CallEventRepository {
  constructor(private readonly db: Executor) {}

  /** Appends one event. */
  async insert(event: NewCallEvent): Promise<void> {
    await this.db.insertInto('telephony_call_events').values(event).execute();
  }

  /** Every event of one call, oldest first (ties keep insertion order by id). */
  async forCall(provider: string, callId: string): Promise<CallEventRow[]> {
    return this.db
      .selectFrom('telephony_call_events')
      .selectAll()
      .where('provider', '=', provider)
      .where('call_id', '=', callId)
      .orderBy('at')
      .orderBy('id')
      .execute();
  }

  /** Events of one kind, newest first, for listings (callback requests). */
  async ofKind(kind: string, limit: number): Promise<CallEventRow[]> {
    return this.db.selectFrom('telephony_call_events').selectAll().where('kind', '=', kind).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /** How many events are stored (tests check that a refused request stored nothing). */
  async count(): Promise<number> {
    const row = await this.db.selectFrom('telephony_call_events').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
