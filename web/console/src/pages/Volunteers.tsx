import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ErrorText } from './ErrorText';

/** A staff account as /api/users lists it. */
export interface Volunteer {
  id: string;
  username: string;
  displayName: string;
  role: string;
  status: string;
  hasSecondFactor: boolean;
}

/** The list of volunteers and other staff, for coordinators. */
export function Volunteers() {
  const { t } = useTranslation();
  const [users, setUsers] = useState<Volunteer[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ users: Volunteer[] }>('GET', '/api/users')
      .then((result) => {
        setUsers(result.users);
      })
      .catch(setError);
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
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.displayName}</td>
                <td>{u.username}</td>
                <td>{t(`role.${u.role}`)}</td>
                <td>{t(`volunteers.${u.status === 'active' ? 'active' : 'disabled'}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
