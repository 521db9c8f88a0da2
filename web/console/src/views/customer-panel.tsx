import { useEffect, useState } from 'preact/hooks';
import { ApiError, ConsoleApi } from '../api';
import { agentName } from '../auth';
import { dateTime, plural, shortTime } from '../format';
import { sessionHref } from '../router';
import { Choice } from './choice';
import { Agent, DEPARTMENTS, Department, HistoryItem, PRIORITIES, Priority, STATUSES, SessionDetails, Status } from '../types';

interface Props {
  api: ConsoleApi;
  session: SessionDetails;
  agents: Agent[];
  /** Runs an action; its error is shown by the conversation. */
  act(action: () => Promise<void>): void;
  onUpdate(changes: Partial<SessionDetails>): void;
  /** Closes the panel where it is a drawer (narrow screens). */
  onClose(): void;
}

/** `user.verified` is present (true) only when the host site signed the identity. */
function Identity({ verified }: { verified?: boolean }) {
  return verified ? (
    <span class="badge verified" title="The website signed this visitor's name and email" data-testid="identity-verified">
      ✓ Verified
    </span>
  ) : (
    <span class="badge unverified" title="Name and email as typed by the visitor" data-testid="identity-unverified">
      Unverified
    </span>
  );
}

function Field({ label, value }: { label: string; value?: string }) {
  return value ? (
    <>
      <dt>{label}</dt>
      <dd title={value}>{value}</dd>
    </>
  ) : null;
}

function AgentChoice({ label, agents, value, onChange, testId }: { label: string; agents: Agent[]; value: string; onChange(id: string): void; testId: string }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.currentTarget.value)} data-testid={testId}>
      <option value="">Choose an agent…</option>
      {agents.map((agent) => (
        <option key={agent._id} value={agent._id}>
          {agentName(agent)}
        </option>
      ))}
    </select>
  );
}

/** The visitor's details, the chat's settings, assignment and transfer, and the visitor's earlier chats. */
export function CustomerPanel({ api, session, agents, act, onUpdate, onClose }: Props) {
  const [history, setHistory] = useState<HistoryItem[] | null>(null);
  const [assignTo, setAssignTo] = useState('');
  const [transferTo, setTransferTo] = useState('');
  const [reason, setReason] = useState('');
  const [tag, setTag] = useState('');
  const { user } = session;
  const others = agents.filter((agent) => agent._id !== session.assignedAgent?._id);

  useEffect(() => {
    setHistory(null);
    api
      .history(user.email)
      .then((page) => setHistory(page.data))
      .catch((err) => (err instanceof ApiError ? setHistory([]) : undefined));
  }, [user.email, session.status]);

  const update = (changes: { status?: Status; priority?: Priority; department?: Department; tags?: string[] }) =>
    act(async () => onUpdate(await api.update(session.sessionId, changes)));
  const assign = (agentId: string) =>
    act(async () => {
      const result = await api.assign(session.sessionId, agentId);
      const agent = agents.find((a) => a._id === agentId);
      onUpdate({ status: result.status, agentName: result.agentName, assignedAgent: agent ? { ...agent } : null });
    });
  const transfer = () =>
    act(async () => {
      await api.transfer(session.sessionId, transferTo, reason);
      // The session again: the answer does not carry the transfer record the panel lists.
      onUpdate((await api.session(session.sessionId)).session);
      setTransferTo('');
      setReason('');
    });
  const addTag = (event: Event) => {
    event.preventDefault();
    const value = tag.trim();
    if (value && !session.tags.includes(value)) update({ tags: [...session.tags, value] });
    setTag('');
  };

  return (
    <aside class="customer-panel" aria-label="Visitor and chat details" data-testid="customer-panel">
      <button type="button" class="drawer-close" onClick={onClose} data-testid="details-close">
        Close details
      </button>
      <section>
        <h2>
          {user.name} <Identity verified={user.verified} />
        </h2>
        <dl>
          <Field label="Email" value={user.email} />
          <Field label="Phone" value={user.phone} />
          <Field label="Page" value={user.metadata?.pageUrl} />
          <Field label="Referrer" value={user.metadata?.referrer} />
          <Field label="Browser" value={user.metadata?.userAgent} />
          <Field label="IP" value={user.metadata?.ipAddress} />
          <Field label="Started" value={dateTime(session.startedAt)} />
        </dl>
        {session.rating && (
          <p class="rating" data-testid="session-rating">
            Rated {'★'.repeat(session.rating.score)}
            {'☆'.repeat(5 - session.rating.score)} {session.rating.feedback && <q>{session.rating.feedback}</q>}
          </p>
        )}
      </section>

      <section>
        <h3>Chat</h3>
        <label>
          Status
          <Choice label="Status" values={STATUSES} value={session.status} onChange={(status) => status && update({ status })} testId="set-status" />
        </label>
        <label>
          Priority
          <Choice label="Priority" values={PRIORITIES} value={session.priority} onChange={(priority) => priority && update({ priority })} testId="set-priority" />
        </label>
        <label>
          Department
          <Choice label="Department" values={DEPARTMENTS} value={session.department} onChange={(department) => department && update({ department })} testId="set-department" />
        </label>
        <div class="tags" data-testid="tags">
          {session.tags.map((t) => (
            <span class="tag" key={t}>
              {t}
              <button type="button" aria-label={`Remove tag ${t}`} onClick={() => update({ tags: session.tags.filter((x) => x !== t) })}>
                ×
              </button>
            </span>
          ))}
          <form onSubmit={addTag}>
            <input placeholder="Add a tag" aria-label="Add a tag" maxLength={50} value={tag} onInput={(e) => setTag(e.currentTarget.value)} data-testid="tag-input" />
          </form>
        </div>
      </section>

      <section>
        <h3>Assignment</h3>
        <p data-testid="assigned-agent">{session.agentName ? `Assigned to ${session.agentName}` : 'Unassigned'}</p>
        <div class="inline">
          <AgentChoice label="Assign to" agents={others} value={assignTo} onChange={setAssignTo} testId="assign-select" />
          <button type="button" disabled={!assignTo} onClick={() => assign(assignTo)} data-testid="assign-submit">
            Assign
          </button>
        </div>
        <details class="transfer" data-testid="transfer">
          <summary>Transfer with a reason</summary>
          <AgentChoice label="Transfer to" agents={others} value={transferTo} onChange={setTransferTo} testId="transfer-select" />
          <input placeholder="Reason (optional)" aria-label="Transfer reason" maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} data-testid="transfer-reason" />
          <button type="button" disabled={!transferTo} onClick={transfer} data-testid="transfer-submit">
            Transfer
          </button>
        </details>
        {session.transfers.length > 0 && (
          <ul class="transfers" data-testid="transfers">
            {session.transfers.map((t) => (
              <li key={t.at}>
                {shortTime(t.at)} → {agentName(agents.find((a) => a._id === t.to) ?? { firstName: 'another agent', lastName: '' })}
                {t.reason && `: ${t.reason}`}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section>
        <h3>Chats with {user.email}</h3>
        {history === null ? (
          <p class="muted">Loading…</p>
        ) : (
          <ul class="history" data-testid="customer-history">
            {history.map((item) => (
              <li key={item.sessionId}>
                <a href={sessionHref(item.sessionId)} aria-current={item.sessionId === session.sessionId ? 'page' : undefined}>
                  {shortTime(item.createdAt)} · <span class={`badge status-${item.status}`}>{item.status}</span> · {plural(item.messageCount, 'message')}
                  {item.rating && ` · ${item.rating.score}★`}
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </aside>
  );
}
