import WebSocket from 'ws';
import { RealtimeConnection } from './realtime-connection';

class FakeSocket {
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  terminated = false;

  send(data: Buffer): void {
    this.sent.push(data.toString());
  }

  terminate(): void {
    this.terminated = true;
    this.readyState = WebSocket.CLOSED;
  }
}

const frame = (seq: number) => Buffer.from(String(seq));

describe('RealtimeConnection', () => {
  const make = (maxBufferedBytes = 1024) => {
    const socket = new FakeSocket();
    const connection = new RealtimeConnection(socket as unknown as WebSocket, { kind: 'guest', sessionId: 's1' }, maxBufferedBytes);
    return { socket, connection };
  };

  it('sends message events at once when no resume is running', () => {
    const { socket, connection } = make();
    connection.sendMessage('s1', 1, frame(1));
    expect(socket.sent).toEqual(['1']);
  });

  it('holds live messages of the resuming session and sends only those past the backlog, in seq order', () => {
    const { socket, connection } = make();
    connection.beginResume('s1');
    connection.sendMessage('s1', 7, frame(7));
    connection.sendMessage('s1', 5, frame(5));
    connection.sendMessage('s2', 3, frame(3)); // another session is not held
    connection.sendMessage('s1', 6, frame(6));
    expect(socket.sent).toEqual(['3']);

    expect(connection.endResume('s1', 5)).toBe(7);
    expect(socket.sent).toEqual(['3', '6', '7']);
    expect(connection.isResuming('s1')).toBe(false);
    connection.sendMessage('s1', 8, frame(8));
    expect(socket.sent).toEqual(['3', '6', '7', '8']);
  });

  it('drops held duplicates (the same seq delivered twice)', () => {
    const { socket, connection } = make();
    connection.beginResume('s1');
    connection.sendMessage('s1', 3, frame(3));
    connection.sendMessage('s1', 3, frame(3));
    expect(connection.endResume('s1', 2)).toBe(3);
    expect(socket.sent).toEqual(['3']);
  });

  it('terminates a socket whose unsent data passes the cap', () => {
    const { socket, connection } = make(10);
    socket.bufferedAmount = 11;
    connection.send(frame(1));
    expect(socket.terminated).toBe(true);
    connection.send(frame(2));
    expect(socket.sent).toEqual(['1']);
  });
});
