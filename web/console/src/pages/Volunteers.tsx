import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Me } from '../api';
import { ErrorText } from './ErrorText';

import type { InvitationOut, UserOut } from '../../../../src/http/routes/users.routes';

/** A staff account as /api/users lists it (the server's type). */
export type Volunteer = UserOut;

/** Who is on duty now, from the inbound queue's board (by account id). */
interface Board {
  agents: { agentId: string; presence: string }[];
}

const ROLES = ['volunteer', 'coordinator', 'admin', 'auditor'] as const;

/**
 * The staff list: role, account status, second factor and whether on duty now. Coordinators read
 * it; admins also invite (the link shown once, to copy), withdraw open invitations, disable and
 * re-enable accounts, change roles and reset a lost second factor. Each change is in the audit log.
 */
export function Volunteers(props: { me: Me }) {
  const { t } = useTranslation();
  const isAdmin = props.me.user.role === 'admin';
  const [users, setUsers] = useState<Volunteer[]>([]);
  const [presence, setPresence] = useState<Map<string, string> | 'loading' | 'unavailable'>('loading');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const load = useCallback(() => {
    api<{ users: Volunteer[] }>('GET', '/api/users')
      .then((result) => {
        setUsers(result.users);
      })
      .catch(setError);
  }, []);
  useEffect(() => {
    load();
    // On-duty state comes from the live board; without it the column says so rather than guessing.
    api<Board>('GET', '/api/operations/board')
      .then((board) => {
        setPresence(new Map(board.agents.map((agent) => [agent.agentId, agent.presence])));
      })
      .catch(() => {
        setPresence('unavailable');
      });
  }, [load]);

  /** Runs an admin's change, then says what happened (or why not) and reloads the list. */
  const change = (user: Volunteer, request: Promise<unknown>, done: string) => {
    setError(null);
    setNotice('');
    request
      .then(() => {
        setNotice(t(done, { name: user.displayName }));
        load();
      })
      .catch((caught: unknown) => {
        setError(caught);
        load();
      });
  };
  const disable = (user: Volunteer) => {
    if (window.confirm(t('volunteers.disableConfirm', { name: user.displayName }))) change(user, api('POST', `/api/users/${user.id}/disable`), 'volunteers.disabledNotice');
  };
  const enable = (user: Volunteer) => {
    change(user, api('POST', `/api/users/${user.id}/enable`), 'volunteers.enabledNotice');
  };
  const resetSecondFactor = (user: Volunteer) => {
    if (window.confirm(t('volunteers.resetConfirm', { name: user.displayName })))
      change(user, api('POST', `/api/users/${user.id}/reset-second-factor`), 'volunteers.resetNotice');
  };
  const changeRole = (user: Volunteer, role: string) => {
    if (role === user.role) return;
    if (window.confirm(t('volunteers.roleConfirm', { name: user.displayName, role: t(`role.${role}`) })))
      change(user, api('PUT', `/api/users/${user.id}/role`, { role }), 'volunteers.roleNotice');
    else load();
  };

  return (
    <section className="card wide">
      <h1>{t('nav.volunteers')}</h1>
      {isAdmin && <Invitations />}
      {error instanceof ApiError && error.code === 'CONFLICT' ? (
        <p className="error" role="alert">
          {t('volunteers.conflict')}
        </p>
      ) : (
        <ErrorText error={error} />
      )}
      {notice && (
        <p role="status" data-testid="staff-notice">
          {notice}
        </p>
      )}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('invite.displayName')}</th>
              <th scope="col">{t('auth.username')}</th>
              <th scope="col">{t('volunteers.role')}</th>
              <th scope="col">{t('volunteers.status')}</th>
              <th scope="col">{t('volunteers.secondFactor')}</th>
              <th scope="col">{t('volunteers.onDuty')}</th>
              {isAdmin && <th scope="col">{t('volunteers.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {users.map((u) => {
              const isMe = u.id === props.me.user.id;
              return (
                <tr key={u.id} data-testid="volunteer-row" data-username={u.username}>
                  <td>{u.displayName}</td>
                  <td>{u.username}</td>
                  <td>
                    {isAdmin && !isMe ? (
                      <select
                        aria-label={t('volunteers.roleOf', { name: u.displayName })}
                        value={u.role}
                        data-testid="role-select"
                        onChange={(event) => {
                          changeRole(u, event.target.value);
                        }}
                      >
                        {ROLES.map((role) => (
                          <option key={role} value={role}>
                            {t(`role.${role}`)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      t(`role.${u.role}`)
                    )}
                  </td>
                  <td data-testid="account-status">{t(`volunteers.${u.status === 'active' ? 'active' : 'disabled'}`)}</td>
                  <td data-testid="second-factor">
                    {u.passkeys > 0 ? t('volunteers.secondFactorPasskey', { count: u.passkeys }) : t(u.hasSecondFactor ? 'volunteers.secondFactorSet' : 'volunteers.secondFactorNone')}
                  </td>
                  <td data-testid="on-duty">
                    {presence === 'loading'
                      ? '…'
                      : presence === 'unavailable'
                        ? t('volunteers.presenceUnknown')
                        : t(`board.presence_${presence.get(u.id) ?? 'offline'}`, { ns: 'operations' })}
                  </td>
                  {isAdmin && (
                    <td>
                      {isMe ? (
                        <span className="muted small">{t('volunteers.you')}</span>
                      ) : (
                        <span className="staff-actions">
                          {u.status === 'active' ? (
                            <button type="button" className="small danger" onClick={() => { disable(u); }}>
                              {t('volunteers.disable')}
                            </button>
                          ) : (
                            <button type="button" className="small" onClick={() => { enable(u); }}>
                              {t('volunteers.enable')}
                            </button>
                          )}
                          {u.hasSecondFactor && (
                            <button type="button" className="small" onClick={() => { resetSecondFactor(u); }}>
                              {t('volunteers.resetSecondFactor')}
                            </button>
                          )}
                        </span>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {isAdmin && <SignInSecurity />}
    </section>
  );
}

/** Inviting someone with a role (the link shown once, copyable), and the invitations still open. */
function Invitations() {
  const { t, i18n } = useTranslation();
  const [role, setRole] = useState<string>('volunteer');
  const [link, setLink] = useState('');
  const [copied, setCopied] = useState(false);
  const [open, setOpen] = useState<InvitationOut[]>([]);
  const [error, setError] = useState<unknown>(null);
  const linkInput = useRef<HTMLInputElement>(null);
  const load = useCallback(() => {
    api<{ invitations: InvitationOut[] }>('GET', '/api/invitations')
      .then((result) => {
        setOpen(result.invitations);
      })
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  const invite = () => {
    setError(null);
    setCopied(false);
    api<{ link: string }>('POST', '/api/invitations', { role })
      .then((result) => {
        setLink(result.link);
        load();
      })
      .catch(setError);
  };
  const copy = () => {
    linkInput.current?.select();
    const done = () => {
      setCopied(true);
    };
    // The clipboard API needs a secure context; selecting the text lets the person copy it by hand otherwise.
    if (typeof navigator.clipboard === 'undefined') return;
    navigator.clipboard.writeText(link).then(done, () => undefined);
  };
  const withdraw = (id: string) => {
    if (!window.confirm(t('volunteers.withdrawConfirm'))) return;
    api('DELETE', `/api/invitations/${id}`).then(load).catch(setError);
  };
  const date = (ms: number) => new Date(ms).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="invitations">
      <h2>{t('volunteers.invite')}</h2>
      <div className="row wrap">
        <label>
          {t('volunteers.role')}
          <select
            value={role}
            data-testid="invite-role"
            onChange={(event) => {
              setRole(event.target.value);
            }}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" onClick={invite} data-testid="create-invitation">
          {t('volunteers.createInvitation')}
        </button>
      </div>
      <ErrorText error={error} />
      {link && (
        <div className="invite-result">
          <p>{t('volunteers.linkOnce')}</p>
          <div className="invite-link">
            <input ref={linkInput} readOnly value={link} aria-label={t('volunteers.invitationLink')} data-testid="invitation-link" onFocus={(e) => { e.target.select(); }} />
            <button type="button" onClick={copy}>
              {copied ? t('volunteers.copied') : t('volunteers.copy')}
            </button>
          </div>
        </div>
      )}
      {open.length > 0 && (
        <div className="table-wrap">
          <table data-testid="open-invitations">
            <thead>
              <tr>
                <th scope="col">{t('volunteers.role')}</th>
                <th scope="col">{t('volunteers.invitedAt')}</th>
                <th scope="col">{t('volunteers.expiresAt')}</th>
                <th scope="col">{t('volunteers.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {open.map((invitation) => (
                <tr key={invitation.id}>
                  <td>{t(`role.${invitation.role}`)}</td>
                  <td>{date(invitation.createdAt)}</td>
                  <td>{date(invitation.expiresAt)}</td>
                  <td>
                    <button type="button" className="small" onClick={() => { withdraw(invitation.id); }}>
                      {t('volunteers.withdraw')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('volunteers.staff')}</h2>
    </div>
  );
}

/** Admins choose the roles that must sign in with a passkey (which cannot be phished, unlike codes). */
function SignInSecurity() {
  const { t } = useTranslation();
  const [roles, setRoles] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  useEffect(() => {
    api<{ passkeyRoles: string[] }>('GET', '/api/settings/sign-in')
      .then((result) => {
        setRoles(result.passkeyRoles);
      })
      .catch(setError);
  }, []);
  const toggle = (role: string, on: boolean) => {
    if (!roles) return;
    const before = roles;
    const next = on ? [...roles, role] : roles.filter((r) => r !== role);
    setRoles(next);
    setError(null);
    setNotice('');
    api<{ passkeyRoles: string[] }>('PUT', '/api/settings/sign-in', { passkeyRoles: next })
      .then((result) => {
        setRoles(result.passkeyRoles);
        setNotice(t('volunteers.passkeyRolesSaved'));
      })
      .catch((caught: unknown) => {
        setRoles(before);
        setError(caught);
      });
  };
  return (
    <fieldset className="sign-in-security" data-testid="passkey-roles">
      <legend>{t('volunteers.passkeyRoles')}</legend>
      <p className="muted small">{t('volunteers.passkeyRolesHelp')}</p>
      {roles && (
        <p className="row wrap">
          {ROLES.map((role) => (
            <label key={role} className="check">
              <input
                type="checkbox"
                checked={roles.includes(role)}
                onChange={(event) => {
                  toggle(role, event.target.checked);
                }}
              />{' '}
              {t(`role.${role}`)}
            </label>
          ))}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
      <ErrorText error={error} />
    </fieldset>
  );
}
