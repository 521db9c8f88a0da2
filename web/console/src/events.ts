import type { AdminEvent } from './types';

type Listener = (event: AdminEvent) => void;

/** Fans the admin socket's events out to the views that are mounted. */
export class EventHub {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: AdminEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
