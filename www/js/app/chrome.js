// Around the views, per instance: the message area (role="alert"), the theme (prefers-color-scheme
// or the toggle) on the instance's root, the legend swatches' colours, and "Copy link" with a
// fallback. Nothing here touches another instance: every element comes in through `refs`.
import { theme, viridis } from '../views/palette.js';

/** At most this many messages are listed (a hostile link can produce thousands). */
const MAX_MESSAGES = 20;

export class Messages {
  /** refs: {box, list, dismiss}; onShow(text) is told about every new message. */
  constructor(refs, onShow = () => {}) {
    this.refs = refs;
    this.onShow = onShow;
    this.list = [];
    this.more = 0;
    refs.dismiss.addEventListener('click', () => this.clear());
  }

  /** Shows `text` (user text is only ever set as textContent). */
  show(text) {
    const t = String(text);
    if (this.list.includes(t)) return;
    if (this.list.length < MAX_MESSAGES) this.list.push(t); else this.more++;
    this.#render();
    this.onShow(t);
  }

  clear() {
    if (!this.list.length) return;
    this.list = [];
    this.more = 0;
    this.#render();
  }

  #render() {
    const items = this.list.map((t) => { const li = document.createElement('li'); li.textContent = t; return li; });
    if (this.more) { const li = document.createElement('li'); li.textContent = `… and ${this.more} more`; items.push(li); }
    this.refs.list.replaceChildren(...items);
    this.refs.box.hidden = !this.list.length;
  }
}

const dark = window.matchMedia('(prefers-color-scheme: dark)');

/** The theme name ('light' or 'dark') for a choice ('auto' follows the system). */
export function themeName(choice) {
  return choice === 'auto' ? (dark.matches ? 'dark' : 'light') : choice;
}

/**
 * The theme choice after `choice` for the toggle: every click changes what is seen. From auto
 * it goes to the other look than the system's, then to the system's own, then back to auto.
 */
export function nextTheme(choice) {
  const system = themeName('auto'), other = system === 'light' ? 'dark' : 'light';
  return choice === 'auto' ? other : choice === other ? system : 'auto';
}

/**
 * Applies `choice` to `root` (data-theme, the swatches and the toggle's text below it) and, for
 * the page that owns the document, to <html>; returns the palette theme object.
 */
export function applyTheme(choice, root, toggle, ownsDocument) {
  const name = themeName(choice);
  root.dataset.theme = name;
  if (ownsDocument) document.documentElement.dataset.theme = name;
  const th = theme(name);
  for (const el of root.querySelectorAll('[data-swatch]')) {
    const c = th[el.dataset.swatch];
    el.style.color = c;
    if (el.classList.contains('block') || el.classList.contains('dot')) el.style.background = c;
  }
  for (const el of root.querySelectorAll('[data-color]')) el.style.color = th[el.dataset.color];
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => viridis(t, th)).join(', ');
  for (const el of root.querySelectorAll('.swatch-family')) el.style.background = `linear-gradient(to right, ${stops})`;
  if (toggle) toggle.textContent = `Theme: ${choice}${choice === 'auto' ? ` (${name})` : ''}`;
  return th;
}

/** Calls `fn` when the system theme changes; returns the function that stops it. */
export function onSystemTheme(fn) {
  dark.addEventListener('change', fn);
  return () => dark.removeEventListener('change', fn);
}

/** Copies `url` to the clipboard; falls back to the selected text box `box`. Resolves to a status text. */
export async function copyLink(url, box) {
  try {
    await navigator.clipboard.writeText(url);
    box.hidden = true;
    return 'Link copied';
  } catch {
    box.hidden = false;
    box.value = url;
    box.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch { ok = false; }
    return ok ? 'Link copied' : 'Copy the link from the box below';
  }
}
