import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { SocketStatus } from '../../shared/socket';
import { AdminSocket } from './admin-socket';
import { ConsoleApi } from './api';
import { StoredAuth, agentName, loadAuth, saveAuth } from './auth';
import { EventHub } from './events';
import { Notifier } from './notify';
import { useRoute } from './router';
import type { Agent } from './types';
import { AnalyticsPage } from './views/analytics';
import { BellIcon, BellOffIcon } from './views/icons';
import { Conversation } from './views/conversation';
import { Login } from './views/login';
import { SessionList } from './views/session-list';

const notifier = new Notifier();

export function App() {
  const [auth, setAuth] = useState(loadAuth);
  const login = (next: StoredAuth | null) => {
    saveAuth(next);
    setAuth(next);
  };
  return auth ? <Console key={auth.token} auth={auth} onLogout={() => login(null)} /> : <Login onLogin={login} />;
}

function Console({ auth, onLogout }: { auth: StoredAuth; onLogout(): void }) {
  const route = useRoute();
  const me = auth.agent;
  const api = useMemo(() => new ConsoleApi(auth.token, onLogout), [auth.token]);
  const hub = useMemo(() => new EventHub(), []);
  const [agents, setAgents] = useState<Agent[]>([me]);
  const [status, setStatus] = useState<SocketStatus>('connecting');
  const [reconnects, setReconnects] = useState(0);
  const [muted, setMuted] = useState(false);
  const resumeRef = useRef<(() => { sessionId: string; afterSeq: number } | null) | null>(null);
  const openSession = useRef<string>();
  openSession.current = route.page === 'sessions' ? route.sessionId : undefined;

  const socket = useMemo(
    () =>
      new AdminSocket({
        token: auth.token,
        agentId: me._id,
        onEvent: (event) => {
          hub.emit(event);
          if (event.type === 'new_session') notifier.notify(`New chat from ${event.session.user.name}`);
          const looking = document.visibilityState === 'visible' && openSession.current === ('sessionId' in event ? event.sessionId : undefined);
          if (event.type === 'user_message' && !looking) notifier.notify('New message');
        },
        onStatus: (next, reconnected) => {
          setStatus(next);
          if (reconnected) setReconnects((n) => n + 1);
        },
        resumePoint: () => resumeRef.current?.() ?? null,
      }),
    [auth.token],
  );
  useEffect(() => () => socket.close(), [socket]);

  useEffect(() => {
    api
      .agents()
      .then((list) => setAgents(list.some((a) => a._id === me._id) ? list : [me, ...list]))
      .catch(() => undefined);
  }, [api]);

  useEffect(() => {
    notifier.muted = muted;
  }, [muted]);

  const sessionOpen = route.page === 'sessions' && route.sessionId;
  return (
    <div class={`console${sessionOpen ? ' session-open' : ''}`}>
      <header class="topbar">
        <strong class="brand">Live Chat</strong>
        <nav>
          <a href="#/sessions" aria-current={route.page === 'sessions' ? 'page' : undefined} data-testid="nav-sessions">
            Chats
          </a>
          <a href="#/analytics" aria-current={route.page === 'analytics' ? 'page' : undefined} data-testid="nav-analytics">
            Analytics
          </a>
        </nav>
        <span class={`connection ${status}`} title={`Live updates: ${status}`} data-testid="connection" data-status={status}>
          ●<span class="connection-text"> {status === 'online' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Offline'}</span>
        </span>
        <button type="button" class="icon" aria-pressed={muted} aria-label={muted ? 'Unmute notifications' : 'Mute notifications'} onClick={() => setMuted(!muted)}>
          {muted ? <BellOffIcon /> : <BellIcon />}
        </button>
        <span class="me" data-testid="me">
          {agentName(me)}
        </span>
        <button type="button" onClick={onLogout} data-testid="logout">
          Log out
        </button>
      </header>
      {route.page === 'analytics' ? (
        <AnalyticsPage api={api} />
      ) : (
        <main class="workspace">
          <SessionList api={api} hub={hub} me={me} agents={agents} selected={route.sessionId} reconnects={reconnects} />
          {route.sessionId ? (
            <Conversation key={route.sessionId} api={api} hub={hub} socket={socket} me={me} agents={agents} sessionId={route.sessionId} resumeRef={resumeRef} />
          ) : (
            <section class="conversation empty-state">
              <p class="muted">Choose a chat on the left.</p>
            </section>
          )}
        </main>
      )}
    </div>
  );
}
