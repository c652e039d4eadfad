import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ErrorText } from './ErrorText';

import type { UserOut } from '../../../../src/http/routes/users.routes';

/** A staff account as /api/users lists it (the server's type). */
export type Volunteer = UserOut;

/** Who is on duty now, from the inbound queue's board (by account id). */
interface Board {
  agents: { agentId: string; presence: string }[];
}

/** The list of volunteers and other staff, for coordinators: role, account status and whether on duty now. */
export function Volunteers() {
  const { t } = useTranslation();
  const [users, setUsers] = useState<Volunteer[]>([]);
  const [presence, setPresence] = useState<Map<string, string> | 'loading' | 'unavailable'>('loading');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ users: Volunteer[] }>('GET', '/api/users')
      .then((result) => {
        setUsers(result.users);
      })
      .catch(setError);
    // On-duty state comes from the live board; without it the column says so rather than guessing.
    api<Board>('GET', '/api/operations/board')
      .then((board) => {
        setPresence(new Map(board.agents.map((agent) => [agent.agentId, agent.presence])));
      })
      .catch(() => {
        setPresence('unavailable');
      });
  }, []);
  return (
    <section className="card wide">
      <h1>{t('nav.volunteers')}</h1>
      <ErrorText error={error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('invite.displayName')}</th>
              <th scope="col">{t('auth.username')}</th>
              <th scope="col">{t('volunteers.role')}</th>
              <th scope="col">{t('volunteers.status')}</th>
              <th scope="col">{t('volunteers.onDuty')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-testid="volunteer-row">
                <td>{u.displayName}</td>
                <td>{u.username}</td>
                <td>{t(`role.${u.role}`)}</td>
                <td>{t(`volunteers.${u.status === 'active' ? 'active' : 'disabled'}`)}</td>
                <td data-testid="on-duty">
                  {presence === 'loading'
                    ? '…'
                    : presence === 'unavailable'
                      ? t('volunteers.presenceUnknown')
                      : t(`board.presence_${presence.get(u.id) ?? 'offline'}`, { ns: 'operations' })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
