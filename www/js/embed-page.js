// embed.html: the snippet generator (views, controls, frame size, theme, a lab link → the iframe
// snippet and a live preview of it), and the JS-module example — the snippet shown is made from
// the same options the live lab is mounted with. Snippets name this server's URLs, so that they
// can be pasted as they are. Everything reaches the page as textContent.
import { mount } from './lab.js';
import { DEFAULTS, fromHash, toHash } from './state/state.js';
import { VIEW_NAMES, CONTROL_NAMES, DEFAULT_VIEWS, DEFAULT_CONTROLS } from './state/options.js';
import { PRESETS } from './state/presets.js';

const $ = (id) => document.getElementById(id);
const LAB = new URL('index.html', location.href).href;
const LAB_JS = new URL('js/lab.js', location.href).href;
const VIEW_LABELS = { fit: 'fit', scrubber: 'τ slider', neurons: 'neurons', curves: 'against τ' };

// --- the iframe generator --------------------------------------------------------------------

function checkboxes(box, names, on, labels = {}) {
  for (const n of names) {
    const id = `${box.id}-${n}`;
    const input = Object.assign(document.createElement('input'), { type: 'checkbox', id, value: n, checked: on.includes(n) });
    const label = Object.assign(document.createElement('label'), { htmlFor: id, textContent: labels[n] || n });
    const span = document.createElement('span');
    span.append(input, label);
    box.append(span);
  }
}
checkboxes($('gen-views'), VIEW_NAMES, [...DEFAULT_VIEWS, 'curves'], VIEW_LABELS);
checkboxes($('gen-controls'), CONTROL_NAMES, [...DEFAULT_CONTROLS, 'tau', 'export']);

const checked = (box) => [...box.querySelectorAll('input:checked')].map((i) => i.value);

/** The message a lab in an iframe posts with the height it needs (js/main.js). */
const SIZE_MESSAGE = 'scaling-path-lab:size';
/** The height the preview's lab reported (px), once it has. */
let reported = 0;

/**
 * A frame size from the form: width a number of px (100–4000) or a percentage (1–100 %),
 * height a number of px (100–4000) or `auto` (the height the lab reports). Returns {value} or
 * {error} naming the refused text.
 */
function readSize(text, which) {
  const t = String(text).trim();
  const px = /^\d+$/.test(t) ? Number(t) : NaN;
  if (px >= 100 && px <= 4000) return { value: String(px) };
  if (which === 'width' && /^\d{1,3}%$/.test(t) && parseInt(t, 10) >= 1 && parseInt(t, 10) <= 100) return { value: t };
  if (which === 'height' && t === 'auto') return { value: 'auto' };
  const allowed = which === 'width' ? 'a number of pixels from 100 to 4000, or a percentage from 1% to 100%' : 'a number of pixels from 100 to 4000, or auto (the height the lab needs)';
  return { error: `the frame ${which} must be ${allowed}; got '${t.slice(0, 40)}' (the snippet keeps the last valid ${which})` };
}
const lastSize = { width: '100%', height: 'auto' };

function generate() {
  const msg = $('gen-message');
  const problems = [];
  let state = { ...DEFAULTS, tauMin: 0.01, tauMax: 100, tauCount: 21, directions: 2048 };
  const link = $('gen-link').value.trim();
  if (link) {
    const i = link.indexOf('#');
    const r = fromHash(i >= 0 ? link.slice(i) : '', DEFAULTS);
    if (i < 0) r.errors.push('that is not a lab link: it has no #… part');
    if (r.errors.length) problems.push(`From the link: ${r.errors.join('; ')}.`);
    state = r.state;
  }
  for (const which of ['width', 'height']) {
    const input = $(`gen-${which}`), r = readSize(input.value, which);
    if (r.error) { problems.push(r.error); input.setAttribute('aria-invalid', 'true'); } else { lastSize[which] = r.value; input.removeAttribute('aria-invalid'); }
  }
  msg.textContent = problems.join(' ');
  msg.hidden = !problems.length;
  state = { ...state, theme: $('gen-theme').value };
  const views = checked($('gen-views')), controls = checked($('gen-controls'));
  const query = `?embed=1&views=${views.join(',') || 'none'}&controls=${controls.join(',') || 'none'}${$('gen-edit').checked ? '' : '&edit=0'}`;
  const src = LAB + query + toHash(state);
  const frame = $('iframe-preview');
  if (frame.getAttribute('src') !== src) { frame.src = src; reported = 0; }
  const w = lastSize.width, h = lastSize.height === 'auto' ? String(reported || 460) : lastSize.height;
  $('iframe-snippet').textContent = `<iframe src="${src.replace(/&/g, '&amp;')}"\n  title="Scaling path lab" width="${w}" height="${h}" loading="lazy"\n  style="border: 1px solid #ccc; border-radius: 8px; max-width: 100%"></iframe>`;
  $('iframe-height-note').textContent = lastSize.height !== 'auto' ? ''
    : reported ? `Height: ${reported} px, what this lab needs at the preview's width.` : 'Height: measuring what this lab needs…';
  frame.width = w; frame.height = h;
}

// The preview's lab says how tall it needs to be: with height "auto", the snippet and the
// preview take that height.
window.addEventListener('message', (e) => {
  const frame = $('iframe-preview');
  if (e.source !== frame.contentWindow || !e.data || e.data.type !== SIZE_MESSAGE) return;
  const h = Math.round(Number(e.data.height));
  if (!(h >= 50 && h <= 10000) || h === reported) return;
  reported = h;
  generate();
});

$('resize-snippet').textContent = `<script>
// Let every scaling-path lab iframe on this page take the height it asks for.
addEventListener('message', (e) => {
  if (!e.data || e.data.type !== '${SIZE_MESSAGE}' || !(e.data.height > 0)) return;
  for (const f of document.querySelectorAll('iframe')) {
    if (f.contentWindow === e.source) f.style.height = Math.min(e.data.height, 4000) + 'px';
  }
});
</script>`;

let timer = 0;
$('gen').addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(generate, 300); });
$('gen').addEventListener('submit', (e) => e.preventDefault());
generate();

// --- the JS module ---------------------------------------------------------------------------

const EXAMPLE = {
  data: [[-1.6, 0.3], [-0.9, -0.4], [-0.2, 0.6], [0.5, -0.1], [1.1, 0.5], [1.7, -0.3]],
  tau: 0.1, tauMin: 0.01, tauMax: 100, tauCount: 21, directions: 2048,
  views: ['fit', 'scrubber', 'curves'],
  controls: ['play', 'export'],
};
const lines = Object.entries(EXAMPLE).map(([k, v]) => `  ${k}: ${JSON.stringify(v).replace(/"/g, '\'').replace(/,(?=\S)/g, ', ')},`);
$('js-snippet').textContent = `<div id="lab"></div>
<script type="module">
import { mount } from '${LAB_JS}';

const lab = mount(document.getElementById('lab'), {
${lines.join('\n')}
});
lab.on('ready', (e) => console.log(\`path ready: \${e.taus} τ, \${e.certified} certified\`));
lab.on('error', (e) => console.warn(e.message));
lab.setTau(1); // later: lab.setData([[x, y], …]), lab.setOptions({ lambda: 0.1 }), lab.destroy()
</script>`;

const lab = mount($('api-example'), EXAMPLE);
const log = $('event-log');
function record(text) {
  const li = document.createElement('li');
  li.textContent = text;
  log.prepend(li);
  while (log.children.length > 12) log.lastChild.remove();
}
let progressShown = 0;
lab.on('ready', (e) => record(`ready — ${e.taus} τ, ${e.certified} certified, ${Math.round(e.elapsedMs)} ms`));
lab.on('progress', (e) => { if (e.received === e.total || Date.now() - progressShown > 400) { progressShown = Date.now(); record(`progress — ${e.received} of ${e.total}`); } });
lab.on('error', (e) => record(`error — ${e.message}`));
lab.on('change', (e) => { if (e.source !== 'play') record(`change — ${e.changed.join(', ')} (${e.source})`); });
lab.setTau(1);

for (const b of document.querySelectorAll('[data-tau]')) b.addEventListener('click', () => lab.setTau(Number(b.dataset.tau)));
$('api-data').addEventListener('click', () => lab.setData(PRESETS.find((p) => p.id === 'step').data()));
$('api-bad').addEventListener('click', () => { try { lab.setTau('<script>'); } catch { /* shown in the lab and logged */ } });

// --- copy buttons ----------------------------------------------------------------------------

for (const b of document.querySelectorAll('[data-copy]')) {
  b.addEventListener('click', async () => {
    const text = $(b.dataset.copy).textContent;
    try { await navigator.clipboard.writeText(text); b.textContent = 'Copied'; } catch {
      const range = document.createRange();
      range.selectNodeContents($(b.dataset.copy));
      getSelection().removeAllRanges(); getSelection().addRange(range);
      b.textContent = 'Selected: copy it';
    }
    setTimeout(() => { b.textContent = 'Copy'; }, 2000);
  });
}

/** For the screenshots and tests: the live example's lab and whether both labs are done. */
window.examples = Object.freeze({
  lab,
  ready: () => lab.done && !!$('iframe-preview').contentWindow?.__lab?.status().done,
});
