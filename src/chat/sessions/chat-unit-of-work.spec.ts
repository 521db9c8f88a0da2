import type { BusEvent } from '../../common/events/domain-events';
import { EventBus } from '../../common/events/event-bus';
import { InProcessKeyedLock } from '../../common/locks/in-process-keyed-lock';
import { ChatUnitOfWork } from './chat-unit-of-work';
import { SessionEventQueue } from './session-event-queue';
import type { SessionWriter } from './session-writer';
import type { SessionsRepository } from './sessions.repository';

const deleted = (sessionId: string): BusEvent => ({ name: 'session.deleted', payload: { sessionId } });

function unitOfWork(publish: (event: BusEvent) => Promise<void>) {
  const lock = new InProcessKeyedLock();
  const bus = { publish: (name: string, payload: unknown) => publish({ name, payload } as BusEvent) } as unknown as EventBus;
  const uow = new ChatUnitOfWork(lock, {} as SessionsRepository, {} as SessionWriter, new SessionEventQueue(bus));
  return { lock, uow };
}

describe('ChatUnitOfWork', () => {
  it('publishes after the session lock is released', async () => {
    const lockFreeWhilePublishing: boolean[] = [];
    const { lock, uow } = unitOfWork(async () => {
      let entered = false;
      await lock.run('s1', async () => {
        entered = true;
      });
      lockFreeWhilePublishing.push(entered);
    });
    await uow.run('s1', async () => ({ value: 1, events: [deleted('s1')] }));
    expect(lockFreeWhilePublishing).toEqual([true]);
  });

  it("publishes a session's events in the order of its writes, even when an earlier publish is slow", async () => {
    const published: string[] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const { uow } = unitOfWork(async (event) => {
      const tag = (event.payload as { sessionId: string }).sessionId;
      if (tag === 'first') await firstHeld;
      published.push(tag);
    });
    const first = uow.run('s1', async () => ({ value: 1, events: [deleted('first')] }));
    const second = uow.run('s1', async () => ({ value: 2, events: [deleted('second')] }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const third = uow.publish('s1', [deleted('third')]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(published).toEqual([]);
    releaseFirst();
    await Promise.all([first, second, third]);
    expect(published).toEqual(['first', 'second', 'third']);
  });

  it('publishes nothing when the work fails, and a failed publish fails only its own caller', async () => {
    const published: string[] = [];
    const { uow } = unitOfWork(async (event) => {
      const tag = (event.payload as { sessionId: string }).sessionId;
      if (tag === 'broken') throw new Error('bus down');
      published.push(tag);
    });
    await expect(
      uow.run('s1', async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await expect(uow.run('s1', async () => ({ value: 1, events: [deleted('broken')] }))).rejects.toThrow('bus down');
    await expect(uow.run('s1', async () => ({ value: 2, events: [deleted('after')] }))).resolves.toBe(2);
    expect(published).toEqual(['after']);
  });
});
