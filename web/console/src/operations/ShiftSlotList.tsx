import { useTranslation } from 'react-i18next';
import { CHINA_TIME_ZONE, type ShiftSlotView, slotOccurrences } from '../../../../src/shared/shift-coverage';


const hhmm = (minute: number) => `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/**
 * Every weekly slot: who, when in their own zone, and when this week's occurrence is in the viewer's
 * time and in China time (these move by an hour when the slot's zone changes its clocks); a remove
 * button on one's own slots, and on everyone's for coordinators.
 */
export function ShiftSlotList(props: {
  slots: ShiftSlotView[];
  now: number;
  viewerZone: string;
  meId: string;
  isCoordinator: boolean;
  staffNames: Map<string, string>;
  onRemove(id: string): void;
}) {
  const { t, i18n } = useTranslation('operations');
  const days = t('weekday', { returnObjects: true }) as string[];
  const weekStart = props.now - 7 * 86_400_000;
  const format = (instant: number, timeZone: string) =>
    new Intl.DateTimeFormat(i18n.language, { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
  const sorted = [...props.slots].sort((a, b) => a.startMinuteUtc - b.startMinuteUtc || a.displayName.localeCompare(b.displayName));
  if (sorted.length === 0) return <p className="muted">{t('shifts.noSlots')}</p>;
  return (
    <div className="table-wrap">
      <table className="list" data-testid="shift-slots">
        <caption className="muted small">{t('shifts.slotsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('shifts.volunteer')}</th>
            <th scope="col">{t('shifts.theirTime')}</th>
            <th scope="col">{t('shifts.thisWeekYours')}</th>
            <th scope="col">{t('shifts.thisWeekChina')}</th>
            <th scope="col">{t('shifts.assignedBy')}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {sorted.map((slot) => {
            const local = { userId: slot.userId, startMinuteLocal: slot.weekday * 1440 + slot.startMinute, durationMinutes: slot.durationMinutes, timeZone: slot.timeZone };
            // the next occurrence from a week ago: this week's (or the one just past)
            const occurrence = slotOccurrences(local, weekStart, props.now + 7 * 86_400_000).find((o) => o.end > props.now) ?? slotOccurrences(local, weekStart, props.now)[0];
            const canRemove = props.isCoordinator || slot.userId === props.meId;
            return (
              <tr key={slot.id}>
                <td>{slot.displayName}</td>
                <td>
                  {days[slot.weekday]} {hhmm(slot.startMinute)}–{hhmm(slot.startMinute + slot.durationMinutes)} ({slot.timeZone})
                </td>
                <td>{occurrence ? `${format(occurrence.start, props.viewerZone)}–${format(occurrence.end, props.viewerZone)}` : ''}</td>
                <td>{occurrence ? `${format(occurrence.start, CHINA_TIME_ZONE)}–${format(occurrence.end, CHINA_TIME_ZONE)}` : ''}</td>
                <td>{slot.assignedBy ? (props.staffNames.get(slot.assignedBy) ?? t('shifts.aCoordinator')) : ''}</td>
                <td>
                  {canRemove && (
                    <button type="button" className="small" onClick={() => { props.onRemove(slot.id); }} aria-label={t('shifts.removeLabel', { name: slot.displayName, day: days[slot.weekday], time: hhmm(slot.startMinute) })}>
                      {t('shifts.remove')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
