import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../api';
import { CHINA_TIME_ZONE, type LocalWeeklySlot, coverageGrid, isKnownTimeZone } from '../../../../src/shared/shift-coverage';
import { CoverageCalendar } from './CoverageCalendar';
import { OpsErrorText } from './OpsErrorText';
import type { ShiftSlotView } from '../../../../src/shared/shift-coverage';
import { ShiftSlotList } from './ShiftSlotList';
import './operations.css';

interface Coverage {
  minimums: number[];
  slots: ShiftSlotView[];
}
interface StaffMember {
  id: string;
  displayName: string;
  role: string;
  status: string;
}

/** Zones offered in the sign-up form; any IANA zone can be typed. */
const COMMON_ZONES = [
  'America/Toronto',
  'America/New_York',
  'America/Vancouver',
  'America/Los_Angeles',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Taipei',
  'Asia/Tokyo',
  'Asia/Shanghai',
  'Australia/Sydney',
  'UTC',
];

/**
 * The 24x7 shift calendar: coverage in China time and the viewer's time (each slot at its
 * occurrence this week in its own zone, so daylight saving is right), the list of slots, signing up
 * (and, for coordinators, assigning someone else), removing, and minimums.
 */
export function ShiftsPage(props: { me: Me; isCoordinator: boolean }) {
  const { t } = useTranslation('operations');
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');
  const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const load = useCallback(() => {
    api<Coverage>('GET', '/api/operations/shifts').then(setCoverage).catch(setError);
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    if (!props.isCoordinator) return;
    api<{ users: StaffMember[] }>('GET', '/api/users')
      .then((result) => { setStaff(result.users.filter((user) => user.status === 'active')); })
      .catch(setError);
  }, [props.isCoordinator]);
  const [slot, setSlot] = useState({ weekday: 0, hour: 20, hours: 2, timeZone: viewerZone, userId: props.me.user.id });
  const [minimum, setMinimum] = useState({ weekday: 0, hour: 8, hours: 1, minimum: 2 });
  const isZoneValid = isKnownTimeZone(slot.timeZone.trim());
  const now = useMemo(() => Date.now(), [coverage]);
  const slots: LocalWeeklySlot[] = useMemo(
    () => (coverage?.slots ?? []).map((row) => ({ userId: row.userId, startMinuteLocal: row.weekday * 1440 + row.startMinute, durationMinutes: row.durationMinutes, timeZone: row.timeZone })),
    [coverage],
  );
  const chinaGrid = useMemo(() => coverageGrid({ timeZone: CHINA_TIME_ZONE, now, slots, minimums: coverage?.minimums ?? [] }), [now, slots, coverage]);
  const localGrid = useMemo(() => coverageGrid({ timeZone: viewerZone, now, slots, minimums: coverage?.minimums ?? [] }), [now, slots, coverage, viewerZone]);
  const gapCount = chinaGrid.flat().filter((cell) => cell.isGap).length;

  const signUp = async (event: React.SyntheticEvent) => {
    event.preventDefault();
    if (!isZoneValid) return;
    setError(null);
    try {
      await api('POST', '/api/operations/shifts', {
        weekday: slot.weekday,
        startMinute: slot.hour * 60,
        durationMinutes: slot.hours * 60,
        timeZone: slot.timeZone.trim(),
        ...(slot.userId === props.me.user.id ? {} : { userId: slot.userId }),
      });
      setMessage(t('shifts.saved'));
      load();
    } catch (caught) {
      setError(caught);
    }
  };
  const setMinimums = async (event: React.SyntheticEvent) => {
    event.preventDefault();
    setError(null);
    // China time is UTC+8 all year: China hour of the week h is UTC hour h - 8.
    const start = minimum.weekday * 24 + minimum.hour;
    const hoursOfWeekUtc = Array.from({ length: minimum.hours }, (_, i) => (start + i - 8 + 168) % 168);
    try {
      await api('PUT', '/api/operations/shifts/minimums', { hoursOfWeekUtc, minimum: minimum.minimum });
      setMessage(t('shifts.saved'));
      load();
    } catch (caught) {
      setError(caught);
    }
  };
  const remove = async (id: string) => {
    setError(null);
    try {
      await api('DELETE', `/api/operations/shifts/${encodeURIComponent(id)}`);
      setMessage(t('shifts.removed'));
      load();
    } catch (caught) {
      setError(caught);
    }
  };
  const days = t('weekday', { returnObjects: true }) as string[];
  return (
    <section className="card wide operations">
      <h1>{t('shifts.title')}</h1>
      <OpsErrorText error={error} />
      <p className="muted">{t('shifts.legend')}</p>
      {coverage && (
        <>
          <p role="status" data-testid="gap-count">
            {t('shifts.gapCount', { count: gapCount })}
          </p>
          <div className="calendars">
            <CoverageCalendar title={t('shifts.chinaTime')} grid={chinaGrid} testId="coverage-china" />
            <CoverageCalendar title={t('shifts.yourTime', { zone: viewerZone })} grid={localGrid} testId="coverage-local" />
          </div>
        </>
      )}
      <form className="row wrap" onSubmit={(event) => void signUp(event)} aria-labelledby="signup-title" data-testid="signup-form">
        <h2 className="grow" id="signup-title">
          {props.isCoordinator ? t('shifts.signUpOrAssign') : t('shifts.signUp')}
        </h2>
        {props.isCoordinator && (
          <label>
            {t('shifts.who')}
            <select value={slot.userId} onChange={(event) => { setSlot({ ...slot, userId: event.target.value }); }}>
              <option value={props.me.user.id}>{t('shifts.me')}</option>
              {staff
                .filter((user) => user.id !== props.me.user.id)
                .map((user) => (
                  <option key={user.id} value={user.id}>
                    {user.displayName}
                  </option>
                ))}
            </select>
          </label>
        )}
        <label>
          {t('shifts.day')}
          <select value={slot.weekday} onChange={(event) => { setSlot({ ...slot, weekday: Number(event.target.value) }); }}>
            {days.map((day, index) => (
              <option key={day} value={index}>
                {day}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('shifts.startInZone')}
          <input type="number" min={0} max={23} value={slot.hour} onChange={(event) => { setSlot({ ...slot, hour: Number(event.target.value) }); }} />
        </label>
        <label>
          {t('shifts.hours')}
          <input type="number" min={1} max={24} value={slot.hours} onChange={(event) => { setSlot({ ...slot, hours: Number(event.target.value) }); }} />
        </label>
        <label>
          {t('shifts.timeZone')}
          <input list="shift-zones" value={slot.timeZone} maxLength={64} aria-invalid={!isZoneValid} onChange={(event) => { setSlot({ ...slot, timeZone: event.target.value }); }} />
        </label>
        <datalist id="shift-zones">
          {COMMON_ZONES.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <button type="submit" className="primary" disabled={!isZoneValid}>
          {slot.userId === props.me.user.id ? t('shifts.submit') : t('shifts.assign')}
        </button>
        {!isZoneValid && <p className="error small">{t('shifts.zoneUnknown')}</p>}
        <p className="muted small">{t('shifts.zoneHelp')}</p>
      </form>
      {coverage && (
        <ShiftSlotList
          slots={coverage.slots}
          now={now}
          viewerZone={viewerZone}
          meId={props.me.user.id}
          isCoordinator={props.isCoordinator}
          staffNames={new Map(staff.map((user) => [user.id, user.displayName]))}
          onRemove={(id) => void remove(id)}
        />
      )}
      {props.isCoordinator && (
        <form className="row wrap" onSubmit={(event) => void setMinimums(event)} aria-labelledby="minimum-title" data-testid="minimum-form">
          <h2 className="grow" id="minimum-title">
            {t('shifts.minimumTitle')}
          </h2>
          <p className="muted small">{t('shifts.minimumHelp')}</p>
          <label>
            {t('shifts.day')}
            <select value={minimum.weekday} onChange={(event) => { setMinimum({ ...minimum, weekday: Number(event.target.value) }); }}>
              {days.map((day, index) => (
                <option key={day} value={index}>
                  {day}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('shifts.startChina')}
            <input type="number" min={0} max={23} value={minimum.hour} onChange={(event) => { setMinimum({ ...minimum, hour: Number(event.target.value) }); }} />
          </label>
          <label>
            {t('shifts.hours')}
            <input type="number" min={1} max={168} value={minimum.hours} onChange={(event) => { setMinimum({ ...minimum, hours: Number(event.target.value) }); }} />
          </label>
          <label>
            {t('shifts.minimum')}
            <input type="number" min={0} max={100} value={minimum.minimum} onChange={(event) => { setMinimum({ ...minimum, minimum: Number(event.target.value) }); }} />
          </label>
          <button type="submit">{t('shifts.setMinimum')}</button>
        </form>
      )}
      {message && <p role="status">{message}</p>}
    </section>
  );
}
