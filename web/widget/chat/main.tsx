import { render } from 'preact';
import type { MountChat } from '../contract';

export const mount: MountChat = (context) => {
  render(<div data-testid="lc-panel">{context.strings.title}</div>, context.container);
  return { setOpen: () => undefined, identify: () => undefined };
};
