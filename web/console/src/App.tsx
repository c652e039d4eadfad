import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Me, setCsrfToken } from './api';
import { navigate, useHashRoute } from './hash-route';
import { LocaleSelect } from './LocaleSelect';
import { Invite } from './pages/Invite';
import { SignIn } from './pages/SignIn';
import { MyCalls } from './pages/MyCalls';
import { Workspace } from './workspace/Workspace';

// Pages opened now and then are loaded when first opened, so that the workspace (open all day,
// often on a slow link) loads only what it needs.
const CallLog = lazy(() => import('./pages/CallLog').then((m) => ({ default: m.CallLog })));
const Moderation = lazy(() => import('./pages/Moderation').then((m) => ({ default: m.Moderation })));
const Scripts = lazy(() => import('./pages/Scripts').then((m) => ({ default: m.Scripts })));
const Volunteers = lazy(() => import('./pages/Volunteers').then((m) => ({ default: m.Volunteers })));
const BoardPage = lazy(() => import('./operations/BoardPage').then((m) => ({ default: m.BoardPage })));
const CallListsPage = lazy(() => import('./operations/CallListsPage').then((m) => ({ default: m.CallListsPage })));
const CampaignsPage = lazy(() => import('./operations/CampaignsPage').then((m) => ({ default: m.CampaignsPage })));
const ShiftsPage = lazy(() => import('./operations/ShiftsPage').then((m) => ({ default: m.ShiftsPage })));
const Archive = lazy(() => import('./pages/Archive').then((m) => ({ default: m.Archive })));
const Received = lazy(() => import('./pages/Received').then((m) => ({ default: m.Received })));
const Followups = lazy(() => import('./pages/Followups').then((m) => ({ default: m.Followups })));
const Account = lazy(() => import('./account/Account').then((m) => ({ default: m.Account })));
const DashboardPage = lazy(() => import('./reports/DashboardPage').then((m) => ({ default: m.DashboardPage })));
const StoriesPage = lazy(() => import('./reports/StoriesPage').then((m) => ({ default: m.StoriesPage })));
const MyPage = lazy(() => import('./reports/MyPage').then((m) => ({ default: m.MyPage })));
const AuditLog = lazy(() => import('./account/AuditLog').then((m) => ({ default: m.AuditLog })));
import { Softphone } from './softphone/Softphone';
import { IncomingCall } from './incoming/IncomingCall';
import { useConsoleSettings } from './settings';

const COORDINATOR_ROLES = ['coordinator', 'admin'];
const AUDIT_ROLES = ['admin', 'auditor'];

/** The console: signs in, then shows the workspace and the lists the role may see. */
export function App() {
  const { t } = useTranslation();
  const route = useHashRoute();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [needsPasskey, setNeedsPasskey] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const result = await api<Me>('GET', '/api/auth/me');
      setCsrfToken(result.csrfToken);
      setMe(result);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'NETWORK') {
        setTimeout(() => void refresh(), 2000);
        return;
      }
      setNeedsPasskey(error instanceof ApiError && error.code === 'PASSKEY_REQUIRED');
      setMe(null);
    }
  }, []);
  useEffect(() => void refresh(), [refresh]);

  if (route.startsWith('/invite/'))
    return (
      <Shell me={null}>
        <Invite token={route.slice('/invite/'.length)} />
      </Shell>
    );
  if (me === undefined)
    return (
      <Shell me={null}>
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      </Shell>
    );
  if (me === null)
    return (
      <Shell me={null}>
        <SignIn key={String(needsPasskey)} needsPasskey={needsPasskey} onSignedIn={() => void refresh()} />
      </Shell>
    );

  const isCoordinator = COORDINATOR_ROLES.includes(me.user.role);
  const readsAudit = AUDIT_ROLES.includes(me.user.role);
  const signedOut = () => {
    setMe(null);
    navigate('/');
  };
  let page;
  if (route === '/account') page = <Account me={me} onSignedOut={signedOut} />;
  else if ((route === '/audit' && readsAudit) || me.user.role === 'auditor') page = <AuditLog />;
  else if (route === '/calls') page = <MyCalls me={me} />;
  else if (route === '/received') page = <Received />;
  else if (route === '/log' && isCoordinator) page = <CallLog />;
  else if (route === '/moderation' && isCoordinator) page = <Moderation />;
  else if (route === '/archive' && isCoordinator) page = <Archive isAdmin={me.user.role === 'admin'} />;
  else if (route === '/followups' && me.user.role === 'admin') page = <Followups />;
  else if (route === '/volunteers' && isCoordinator) page = <Volunteers me={me} />;
  else if (route === '/scripts' && isCoordinator) page = <Scripts />;
  else if (route === '/shifts') page = <ShiftsPage me={me} isCoordinator={isCoordinator} />;
  else if (route === '/campaigns') page = <CampaignsPage isCoordinator={isCoordinator} />;
  else if (route === '/board') page = <BoardPage me={me} isCoordinator={isCoordinator} />;
  else if (route === '/lists' && isCoordinator) page = <CallListsPage />;
  else if (route === '/dashboard' && isCoordinator) page = <DashboardPage />;
  else if (route === '/stories' && isCoordinator) page = <StoriesPage />;
  else if (route.startsWith('/stories/') && isCoordinator) page = <StoriesPage storyId={route.slice('/stories/'.length)} />;
  else if (route === '/me') page = <MyPage />;
  else page = <Workspace me={me} />;
  return (
    <Shell
      me={me}
      route={route}
      isCoordinator={isCoordinator}
      onSignedOut={() => {
        setMe(null);
      }}
    >
      <Suspense
        fallback={
          <p className="muted" role="status">
            {t('common.loading')}
          </p>
        }
      >
        {page}
      </Suspense>
    </Shell>
  );
}

function Shell(props: { me: Me | null; route?: string; isCoordinator?: boolean; onSignedOut?: () => void; children: React.ReactNode }) {
  const { t } = useTranslation();
  const settings = useConsoleSettings(props.me !== null);
  const role = props.me?.user.role;
  const links: [string, string][] = [
    // An auditor's console is the audit log alone.
    ...(role === 'auditor'
      ? ([['/', t('nav.audit')]] as [string, string][])
      : ([
          ['/', t('nav.workspace')],
          ['/calls', t('nav.myCalls')],
          ['/me', t('myFigures', { ns: 'reports' })],
          ['/received', t('nav.received')],
          ['/board', t('nav.board', { ns: 'operations' })],
          ['/campaigns', t('nav.campaigns', { ns: 'operations' })],
          ['/shifts', t('nav.shifts', { ns: 'operations' })],
        ] as [string, string][])),
    ...(props.isCoordinator
      ? ([
          ['/dashboard', t('dashboard', { ns: 'reports' })],
          ['/log', t('nav.callLog')],
          ['/stories', t('stories', { ns: 'reports' })],
          ['/moderation', t('nav.moderation')],
          ['/archive', t('nav.archive')],
          ['/volunteers', t('nav.volunteers')],
          ['/scripts', t('nav.scripts')],
          ['/lists', t('nav.lists', { ns: 'operations' })],
        ] as [string, string][])
      : []),
    ...(role === 'admin'
      ? ([
          ['/followups', t('nav.followups')],
          ['/audit', t('nav.audit')],
        ] as [string, string][])
      : []),
  ];
  const signOut = async () => {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    props.onSignedOut?.();
    navigate('/');
  };
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
        {props.me && (
          <nav aria-label={t('nav.label')}>
            {links.map(([href, label]) => (
              <a
                key={href}
                href={`#${href}`}
                aria-current={props.route === href || (href === '/stories' && props.route?.startsWith('/stories/')) || (href === '/' && !props.route?.startsWith('/stories/') && props.route !== '/account' && !links.some(([h]) => h === props.route)) ? 'page' : undefined}
              >
                {label}
              </a>
            ))}
          </nav>
        )}
        <span className="spacer" />
        <label className="lang">
          <span className="visually-hidden">{t('app.language')}</span>
          <LocaleSelect />
        </label>
        {props.me && (
          <>
            <a className="who" href="#/account" title={t('nav.account')} aria-current={props.route === '/account' ? 'page' : undefined}>
              {props.me.user.displayName}
            </a>
            <button type="button" className="link" onClick={() => void signOut()}>
              {t('nav.signOut')}
            </button>
          </>
        )}
      </header>
      {props.me?.newDevices && props.me.newDevices.length > 0 && <NewDeviceNotice devices={props.me.newDevices} />}
      {props.me && props.me.user.role !== 'auditor' && <Softphone />}
      {props.me && props.me.user.role !== 'auditor' && settings?.telephony === null && <IncomingCall me={props.me} />}
      <main>{props.children}</main>
    </div>
  );
}

/**
 * Sign-ins to this account from a device it never used before, shown on the owner's other devices
 * until they say it was them; if it was not, signing out everywhere and changing the password is
 * one click away.
 */
function NewDeviceNotice({ devices }: { devices: { device: string; at: number }[] }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(true);
  if (!open) return null;
  return (
    <div className="new-device" role="alert" data-testid="new-device-notice">
      <p>
        <strong>{t('devices.title')}</strong>{' '}
        {devices
          .map((device) => t('devices.one', { device: device.device, at: new Date(device.at).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) }))
          .join(' ')}
      </p>
      <p className="row wrap">
        <button
          type="button"
          onClick={() => {
            void api('POST', '/api/auth/devices/acknowledge').finally(() => {
              setOpen(false);
            });
          }}
        >
          {t('devices.wasMe')}
        </button>
        <a href="#/account">{t('devices.notMe')}</a>
      </p>
    </div>
  );
}
