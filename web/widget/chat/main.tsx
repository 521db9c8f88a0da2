import { render } from 'preact';
import type { MountChat } from '../contract';
import { App } from './app';
import css from './chat.css?inline';
import { ChatStore } from './store';

/** Loaded by the launcher on first interaction: renders the panel into the widget's shadow root. */
export const mount: MountChat = (context) => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  context.root.adoptedStyleSheets = [...context.root.adoptedStyleSheets, sheet];
  const store = new ChatStore(context);
  const position = context.settings.position === 'left' ? 'left' : 'right';
  let open = false;
  const draw = () =>
    render(
      <div class={`frame ${position}`}>
        <App store={store} strings={context.strings} title={context.settings.title ?? context.strings.title} open={open} onClose={context.requestClose} />
      </div>,
      context.container,
    );
  draw();
  return {
    setOpen: (next) => {
      open = next;
      store.setOpen(next);
      draw();
    },
    identify: (identity) => store.identify(identity),
  };
};
