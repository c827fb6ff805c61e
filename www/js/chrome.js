// The page around the views: the message area (role="alert"), the theme (prefers-color-scheme or
// the toggle), the legend swatches' colours, and "Copy link" with a fallback.
import { theme, viridis } from './palette.js';

const $ = (id) => document.getElementById(id);

export class Messages {
  constructor() {
    this.list = [];
    $('dismiss').addEventListener('click', () => this.clear());
  }

  /** Shows `text` (user text is only ever set as textContent). */
  show(text) {
    if (!this.list.includes(text)) this.list.push(text);
    this.#render();
  }

  clear() {
    if (!this.list.length) return;
    this.list = [];
    this.#render();
  }

  #render() {
    const ul = $('message-list');
    ul.replaceChildren(...this.list.map((t) => { const li = document.createElement('li'); li.textContent = t; return li; }));
    $('messages').hidden = !this.list.length;
  }
}

const dark = window.matchMedia('(prefers-color-scheme: dark)');

/** Applies state.theme ('auto' follows the system); returns the palette theme object. */
export function applyTheme(choice) {
  const name = choice === 'auto' ? (dark.matches ? 'dark' : 'light') : choice;
  document.documentElement.dataset.theme = name;
  const th = theme(name);
  for (const el of document.querySelectorAll('[data-swatch]')) {
    const c = th[el.dataset.swatch];
    el.style.color = c;
    if (el.classList.contains('block') || el.classList.contains('dot')) el.style.background = c;
  }
  for (const el of document.querySelectorAll('[data-color]')) el.style.color = th[el.dataset.color];
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => viridis(t, th)).join(', ');
  for (const el of document.querySelectorAll('.swatch-family')) el.style.background = `linear-gradient(to right, ${stops})`;
  $('theme-toggle').textContent = `Theme: ${choice}${choice === 'auto' ? ` (${name})` : ''}`;
  return th;
}

export function onSystemTheme(fn) { dark.addEventListener('change', fn); }

/** Copies `url` to the clipboard; falls back to a selected text box. Resolves to a status text. */
export async function copyLink(url) {
  const box = $('copy-fallback');
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
