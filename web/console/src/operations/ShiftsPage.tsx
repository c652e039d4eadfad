import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../api';
import { ErrorText } from '../pages/ErrorText';
import { CHINA_TIME_ZONE } from '../../../../src/shared/shift-coverage';
import { CoverageCalendar } from './CoverageCalendar';
import './operations.css';

interface Coverage {
  counts: number[];
  minimums: number[];
  gapHoursUtc: number[];
  slots: { id: string; userId: string; displayName: string; startMinuteUtc: number; durationMinutes: number }[];
}

/** The 24x7 shift calendar: coverage in China time and the viewer's time, signing up, minimums. */
export function ShiftsPage(props: { me: Me; isCoordinator: boolean }) {
  const { t } = useTranslation('operations');
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');
  const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const load = useCallback(() => {
    api<Coverage>('GET', '/api/operations/shifts').then(setCoverage).catch(setError);
  }, []);
  useEffect(load, [load]);
  const [slot, setSlot] = useState({ weekday: 0, hour: 20, hours: 2 });
  const [minimum, setMinimum] = useState({ weekday: 0, hour: 8, hours: 1, minimum: 2 });

  const signUp = async (event: React.SyntheticEvent) => {
    event.preventDefault();
    try {
      await api('POST', '/api/operations/shifts', { weekday: slot.weekday, startMinute: slot.hour * 60, durationMinutes: slot.hours * 60, timeZone: viewerZone });
      setMessage(t('shifts.saved'));
      load();
    } catch (caught) {
      setError(caught);
    }
  };
  const setMinimums = async (event: React.SyntheticEvent) => {
    event.preventDefault();
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
  const days = t('weekday', { returnObjects: true }) as string[];
  const now = Date.now();
  return (
    <section className="card wide operations">
      <h1>{t('shifts.title')}</h1>
      <ErrorText error={error} />
      <p className="muted">{t('shifts.legend')}</p>
      {coverage && (
        <>
          <p role="status" data-testid="gap-count">
            {t('shifts.gapCount', { count: coverage.gapHoursUtc.length })}
          </p>
          <div className="calendars">
            <CoverageCalendar title={t('shifts.chinaTime')} timeZone={CHINA_TIME_ZONE} now={now} counts={coverage.counts} minimums={coverage.minimums} testId="coverage-china" />
            <CoverageCalendar title={t('shifts.yourTime', { zone: viewerZone })} timeZone={viewerZone} now={now} counts={coverage.counts} minimums={coverage.minimums} testId="coverage-local" />
          </div>
        </>
      )}
      <form className="row wrap" onSubmit={(event) => void signUp(event)}>
        <h2 className="grow">{t('shifts.signUp')}</h2>
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
          {t('shifts.start')}
          <input type="number" min={0} max={23} value={slot.hour} onChange={(event) => { setSlot({ ...slot, hour: Number(event.target.value) }); }} />
        </label>
        <label>
          {t('shifts.hours')}
          <input type="number" min={1} max={24} value={slot.hours} onChange={(event) => { setSlot({ ...slot, hours: Number(event.target.value) }); }} />
        </label>
        <button type="submit" className="primary">
          {t('shifts.submit')}
        </button>
      </form>
      {props.isCoordinator && (
        <form className="row wrap" onSubmit={(event) => void setMinimums(event)}>
          <h2 className="grow">{t('shifts.minimumTitle')}</h2>
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
            {t('shifts.start')}
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
