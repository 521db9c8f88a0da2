const BASE_TITLE = 'Live Chat Console';

/**
 * Title-bar and sound notification for new chats and guest messages: the count shows in the tab's
 * title until the agent looks at the page again, with a short beep (Web Audio, no sound file).
 */
export class Notifier {
  private unseen = 0;
  private audio?: AudioContext;
  muted = false;

  constructor() {
    document.title = BASE_TITLE;
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.clear();
    });
    // The agent is back at the page: a click or a key ends the notice.
    for (const type of ['focus', 'pointerdown', 'keydown']) addEventListener(type, () => this.clear());
  }

  notify(text: string): void {
    this.unseen += 1;
    document.title = `(${this.unseen}) ${text} · ${BASE_TITLE}`;
    if (!this.muted) this.beep();
  }

  clear(): void {
    this.unseen = 0;
    document.title = BASE_TITLE;
  }

  private beep(): void {
    try {
      this.audio ??= new AudioContext();
      const oscillator = this.audio.createOscillator();
      const gain = this.audio.createGain();
      oscillator.frequency.value = 880;
      gain.gain.setValueAtTime(0.08, this.audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, this.audio.currentTime + 0.25);
      oscillator.connect(gain).connect(this.audio.destination);
      oscillator.start();
      oscillator.stop(this.audio.currentTime + 0.25);
    } catch {
      // no audio device or autoplay refused: the title still shows the count
    }
  }
}
