import type { Executor } from '../store';

/** Key-value settings Hotline keeps about itself. */
export class MetaRepository {
  constructor(private readonly db: Executor) {}

  /** The value of `key`, or undefined. */
  async get(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  /** Sets `key` to `value`. */
  async set(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
}
