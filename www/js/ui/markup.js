// The elements of one lab instance, built with dom.js (no HTML parsing). Two layouts over the
// same parts: `full` (the page: header, explanations, every view and setting, footer) and
// `compact` (embed mode and mount(): the chosen views, the chosen controls, a status bar with
// "Open in the full lab"). In the compact layout an element with data-show="view:fit control:tau"
// is shown when any of those views or controls is chosen (LabApp.layout); the ids are the same
// in both layouts.
import { Builder } from './dom.js';
import { CONTROL_GROUPS, settingsForm, dataPanel } from './markup-settings.js';
import { EXPORTS } from '../export/export.js';
import { SINGLE_FILE } from '../env.js';

const swatch = (b, kind, cls = '') => b.h('span', { class: `swatch ${cls}`.trim(), dataset: { swatch: kind } });

function fitParts(b) {
  const canvas = b.h('div', { class: 'canvas-wrap fit-wrap' },
    b.h('canvas', { id: 'fit-canvas', class: 'fit-canvas', role: 'img', 'aria-label': 'Fit: the data points, f at the selected τ, the path and its limits', 'aria-describedby': 'fit-explain' }, 'The data points and the fitted function f_τ.'),
    b.h('div', { id: 'handles', class: 'handles', 'aria-label': 'data points' }));
  const legend = b.h('ul', { class: 'legend', id: 'fit-legend', 'aria-label': 'Fit legend' },
    b.h('li', { dataset: { key: 'selected' } }, swatch(b, 'fg'), ...b.rich('f~τ~ at the selected τ')),
    b.h('li', { dataset: { key: 'uncertified' }, hidden: true }, swatch(b, 'fg', 'dashed'), ...b.rich('f~τ~ not (yet) certified')),
    b.h('li', { dataset: { key: 'family' } }, b.h('span', { class: 'swatch swatch-family' }), 'the path, small τ → large τ'),
    b.h('li', { dataset: { key: 'kernel' }, hidden: true }, swatch(b, 'kernel', 'dashed'), ...b.rich('kernel limit f~K~ (τ → ∞)')),
    b.h('li', { dataset: { key: 'rich' }, hidden: true }, swatch(b, 'rich', 'dotted'), 'rich limit, min-norm (τ → 0)'),
    b.h('li', { dataset: { key: 'gd' }, hidden: true }, swatch(b, 'gd', 'wide'), b.h('span', { id: 'gd-legend-text' }, 'gradient descent, final state')),
    b.h('li', { dataset: { key: 'target' }, hidden: true }, swatch(b, 'target', 'dashed'), 'ground truth g'),
    b.h('li', { dataset: { key: 'exact' }, hidden: true }, swatch(b, 'exact'), ...b.rich('f~τ~ of infinite width solved as such (selected τ)')),
    b.h('li', { dataset: { key: 'data' } }, swatch(b, 'data', 'dot'), 'data'));
  const explain = b.h('p', { id: 'fit-explain', class: 'explain' }, ...b.rich('**What you see.** The bold curve is the network that fits the data (dots) while moving its weights the least from the initialization at scale τ. The faint curves are the whole path, coloured from purple (small τ: piecewise linear, kinks only at data points — the _rich_ regime) to yellow (large τ: the smooth tangent-kernel interpolant — the _kernel_ regime). Between computed τ the bold curve is interpolated in log τ; it is dashed while not (yet) certified. On the τ slider each τ of the path is marked: a coloured bar when certified, a cross when not (ringed: its time budget ran out), a grey tick while not computed yet. **Edit:** click to add a point, drag to move it, right-click to remove it; or Tab to a point, move it with the arrow keys, remove it with Delete.'));
  return { canvas, legend, explain };
}

function scrubParts(b) {
  const play = b.h('button', { type: 'button', id: 'play', class: 'play', 'aria-pressed': 'false', dataset: { show: 'control:play' } }, '▶ Play');
  const scrubber = b.h('canvas', { id: 'scrubber', class: 'scrubber', role: 'slider', tabindex: '0', 'aria-label': 'Initialization scale τ (log scale)', 'aria-orientation': 'horizontal', 'aria-describedby': 'scrub-help', dataset: { show: 'view:scrubber' } });
  const help = b.h('p', { id: 'scrub-help', class: 'help' }, 'Drag the τ slider, or focus it: ←/→ one step of the path (Shift: finer), PageUp/PageDown a decade, Home/End the ends, Space plays from rich to kernel.');
  return { play, scrubber, help };
}

function progressParts(b) {
  return b.h('div', { class: 'progress-row' },
    b.h('label', { for: 'progress' }, 'Path'),
    b.h('progress', { id: 'progress', max: '41', value: '0' }),
    b.h('span', { id: 'progress-text', class: 'status', role: 'status' }, 'starting the solver…'));
}

/** Gradient descent's progress and outcome at the selected τ, next to the Fit (shown when GD is on). */
function gdParts(b) {
  return [b.h('div', { id: 'gd-row', class: 'progress-row gd-row', hidden: true },
    b.h('label', { for: 'gd-progress' }, 'GD'),
    b.h('progress', { id: 'gd-progress', max: '1', value: '0' }),
    b.h('span', { id: 'gd-fit-status', class: 'status', role: 'status' }),
    b.h('button', { type: 'button', id: 'gd-watch' }, '▶ Watch it train')),
  b.h('div', { id: 'gd-player', class: 'gd-player', hidden: true, role: 'group', 'aria-label': 'Gradient descent, played back' },
    b.h('div', { class: 'player-controls' },
      b.h('button', { type: 'button', id: 'gd-pause', 'aria-pressed': 'true' }, '❚❚ Pause'),
      b.h('button', { type: 'button', id: 'gd-back', 'aria-label': 'one frame back' }, '◀'),
      b.h('button', { type: 'button', id: 'gd-on', 'aria-label': 'one frame on' }, '▶'),
      b.h('input', { type: 'range', id: 'gd-frame', min: '0', max: '1', value: '0', step: '1', 'aria-label': 'gradient-descent frame' }),
      b.h('select', { id: 'gd-speed', 'aria-label': 'playback speed' },
        ...['0.25', '0.5', '1', '2', '4'].map((v) => b.h('option', { value: v, selected: v === '1' }, `${v}×`))),
      b.h('button', { type: 'button', id: 'gd-done' }, 'Done')),
    b.h('p', { id: 'gd-frame-text', class: 'status', role: 'status' }),
    b.h('div', { class: 'canvas-wrap' }, b.h('canvas', { id: 'gd-chart', class: 'gd-chart', role: 'img', 'aria-label': 'Loss and distance to the path against the step' })),
    b.h('ul', { class: 'legend' },
      b.h('li', {}, swatch(b, 'cost'), 'loss'),
      b.h('li', {}, swatch(b, 'gd', 'dashed'), ...b.rich('sup |GD − f~τ~|'))))];
}

function neuronsParts(b) {
  return {
    canvas: b.h('div', { class: 'canvas-wrap' }, b.h('canvas', { id: 'neurons-canvas', class: 'neurons-canvas', role: 'img', 'aria-label': 'Neurons: carried amount by kink position', 'aria-describedby': 'neurons-explain' }, 'Where the neurons\' kinks sit and what they carry.')),
    legend: b.h('ul', { class: 'legend', 'aria-label': 'Neurons legend' },
      b.h('li', {}, swatch(b, 'positive', 'block'), 'a > 0 (up)'),
      b.h('li', {}, swatch(b, 'negative', 'block'), 'a < 0 (down)'),
      b.h('li', {}, swatch(b, 'ghost'), 'initial neurons at scale τ'),
      b.h('li', {}, swatch(b, 'axis', 'dotted'), 'data x')),
    explain: b.h('p', { id: 'neurons-explain', class: 'explain' }, ...b.rich('**What you see.** A neuron a·(w x + b)₊ bends the fit at its kink x = −b/w. Each bar sums what the neurons with a kink there carry, a·|(w, b)| (up when a > 0, down when a < 0); the grey outline is where they started. Large τ: the neurons hardly move (bars and outline agree — _lazy_). Small τ: a few neurons grow into spikes at data points — the sparse _rich_ solution. Triangles at the edges sum kinks beyond the view (w ≈ 0 puts a kink at infinity).')),
  };
}

function curvesParts(b) {
  return {
    top: b.h('div', { class: 'canvas-wrap' }, b.h('canvas', { id: 'curves-top', class: 'curves-top', role: 'img', 'aria-label': 'Transport cost and distances to the limits against τ', 'aria-describedby': 'curves-explain' }, 'Transport cost and distances to the limits against τ.')),
    topLegend: b.h('ul', { class: 'legend', id: 'curves-legend', 'aria-label': 'Curves legend' },
      b.h('li', { dataset: { key: 'cost' } }, swatch(b, 'cost'), 'W²/τ² (transport cost)'),
      b.h('li', { dataset: { key: 'kernel' }, hidden: true }, swatch(b, 'kernel', 'dashed'), b.h('span', { id: 'kernel-fk' }, ...b.rich('sup |f~τ~ − f~K~|')), b.h('span', { id: 'kernel-lazy', hidden: true }, ...b.rich('sup |f~τ~ − kernel prediction at τ|'))),
      b.h('li', { dataset: { key: 'rich' }, hidden: true }, swatch(b, 'rich', 'dotted'), ...b.rich('sup |f~τ~ − rich limit|')),
      b.h('li', { dataset: { key: 'gd' }, hidden: true }, swatch(b, 'gd', 'dot'), ...b.rich('sup |GD − f~τ~| (● converged, ✕ stalled, ▲ at its step cap; ring: GD\'s W²/τ²)')),
      b.h('li', { dataset: { key: 'check' }, hidden: true }, swatch(b, 'exact', 'dot'), 'how far the quadrature\'s α misses the data at infinite width')),
    bottom: b.h('div', { class: 'canvas-wrap' }, b.h('canvas', { id: 'curves-bottom', class: 'curves-bottom', role: 'img', 'aria-label': 'Relative duality gap and residual against τ', 'aria-describedby': 'curves-explain' }, 'The certificate of each τ: relative duality gap and residual.')),
    bottomLegend: b.h('ul', { class: 'legend', id: 'certificate-legend', 'aria-label': 'Certificate legend' },
      b.h('li', {}, swatch(b, 'gap'), '|relative duality gap|'),
      b.h('li', {}, swatch(b, 'residual', 'dashed'), 'interpolation residual'),
      b.h('li', {}, swatch(b, 'ok', 'dot'), 'certified'),
      b.h('li', {}, b.h('span', { class: 'cross', dataset: { color: 'bad' } }, '✕'), 'not certified'),
      b.h('li', { dataset: { key: 'exact' }, hidden: true }, swatch(b, 'exact', 'dotted'), 'integration error of infinite width solved as such')),
    test: b.h('div', { id: 'test-wrap', class: 'test-wrap', hidden: true },
      b.h('div', { class: 'canvas-wrap' }, b.h('canvas', { id: 'curves-test', class: 'curves-test', role: 'img', 'aria-label': 'Test error against the ground truth, against τ', 'aria-describedby': 'curves-explain' }, 'How far each fit is from the ground truth over the data\'s range.')),
      b.h('ul', { class: 'legend', 'aria-label': 'Test error legend' },
        b.h('li', {}, swatch(b, 'cost'), ...b.rich('test error of f~τ~ (RMS of f − g over the data\'s range)')),
        b.h('li', {}, swatch(b, 'kernel', 'dashed'), 'kernel limit'),
        b.h('li', {}, swatch(b, 'rich', 'dotted'), 'rich limit'),
        b.h('li', {}, swatch(b, 'gd', 'dot'), 'gradient descent'))),
    explain: b.h('p', { id: 'curves-explain', class: 'explain' }, ...b.rich('**What you see.** Top: how far the weights moved, relative to their scale (W²/τ²), and how far f~τ~ is from each limit — each distance shrinks at its own end of the path; the blue dots, as the path is solved again as infinite width itself in the background, show how far the quadrature\'s α misses the data at infinite width. Bottom: every τ comes with a proof of optimality: the relative gap between the primal and the dual value and the interpolation residual; a dot marks a certified τ (gap below 10⁻⁶, dotted line), a cross one that is not. The light blue dots are the integration error of each τ solved as infinite width itself, certified up to 10⁻⁴·max(1, max|y|). The vertical line is the selected τ.')),
  };
}

/** A lesson scene's title, caption and "Next" (shown when the lab was opened on a scene). */
function sceneParts(b) {
  return b.h('section', { id: 'scene', class: 'scene', hidden: true, 'aria-labelledby': 'scene-title', 'aria-live': 'polite' },
    b.h('h2', { id: 'scene-title' }),
    b.h('p', { id: 'scene-caption' }),
    b.h('button', { type: 'button', id: 'scene-next', hidden: true }));
}

function messagesParts(b) {
  return b.h('div', { id: 'messages', class: 'messages', role: 'alert', hidden: true },
    b.h('ul', { id: 'message-list' }),
    b.h('button', { type: 'button', id: 'dismiss', class: 'dismiss' }, 'Dismiss'));
}

function exportsMenu(b) {
  return b.h('details', { class: 'exports', id: 'exports', dataset: { show: 'control:export' } },
    b.h('summary', {}, 'Download'),
    b.h('div', { class: 'exports-menu', role: 'group', 'aria-label': 'Downloads' },
      ...EXPORTS.map((e) => b.h('button', { type: 'button', dataset: { export: e.kind, ...(e.view ? { show: `view:${e.view}` } : {}) } }, e.label))));
}

const panel = (b, cls, titleId, title, ...children) =>
  b.h('section', { class: `panel ${cls}`, 'aria-labelledby': titleId }, b.h('h2', { id: titleId }, ...title), ...children);

/** The full page: header, the two columns of panels, the settings, the footer. */
function full(b) {
  const fit = fitParts(b), scrub = scrubParts(b), neurons = neuronsParts(b), curves = curvesParts(b);
  return b.h('div', { class: 'spl full' },
    b.h('header', { class: 'top' },
      b.h('div', { class: 'title' },
        b.h('h1', {}, 'Scaling path lab'),
        b.h('p', { class: 'tagline' }, ...b.rich('How the initialization scale τ shapes what a 2-layer ReLU network learns: from the **rich** regime (τ → 0, few kinks) to the **kernel** regime (τ → ∞, smooth).'))),
      b.h('div', { class: 'actions' },
        b.h('a', { id: 'to-plane', href: '#dim=2', title: 'The lab for inputs in the plane: the paper\'s own experiments' }, 'Inputs in the plane (2-D)'),
        exportsMenu(b),
        b.h('button', { type: 'button', id: 'copy-link' }, 'Copy link'),
        b.h('button', { type: 'button', id: 'theme-toggle' }, 'Theme: auto'),
        b.h('span', { id: 'copy-status', class: 'status', role: 'status' }))),
    messagesParts(b),
    sceneParts(b),
    b.h('input', { type: 'text', id: 'copy-fallback', class: 'copy-fallback', readonly: true, 'aria-label': 'Link to this state (copy it by hand)', hidden: true }),
    b.h('main', { class: 'layout' },
      b.h('div', { class: 'col col-main' },
        b.h('section', { class: 'panel fit-panel', 'aria-labelledby': 'fit-title' },
          b.h('h2', {}, b.h('span', { id: 'fit-title' }, ...b.rich('Fit f~τ~')), ' ', b.h('output', { id: 'tau-readout', class: 'readout' }, 'τ = 1')),
          fit.canvas, fit.legend,
          b.h('div', { class: 'scrub-row' }, scrub.play, scrub.scrubber), scrub.help,
          progressParts(b),
          gdParts(b),
          b.h('p', { id: 'cert-text', class: 'status cert' }),
          fit.explain),
        panel(b, 'neurons-panel', 'neurons-title', ['Neurons'], neurons.canvas, neurons.legend, neurons.explain)),
      b.h('div', { class: 'col col-side' },
        panel(b, 'curves-panel', 'curves-title', ['Against τ'], curves.top, curves.topLegend, curves.bottom, curves.bottomLegend, curves.test, curves.explain),
        dataPanel(b)),
      settingsForm(b, true)),
    b.h('footer', { class: 'foot' },
      b.h('p', {}, 'The fits are computed in your browser (Rust compiled to WebAssembly, in a worker); nothing is sent anywhere. Every τ is certified by a duality gap. ',
        SINGLE_FILE ? null : [b.h('a', { href: 'embed.html' }, 'Put the lab in your page'), '. '], b.h('span', { id: 'solver-version', class: 'status' }))));
}

/** Embed mode and mount(): the chosen views and controls, no prose (kept for screen readers). */
function compact(b) {
  const fit = fitParts(b), scrub = scrubParts(b), neurons = neuronsParts(b), curves = curvesParts(b);
  for (const p of [fit.explain, scrub.help, neurons.explain, curves.explain]) p.classList.add('sr-only');
  const view = (name, title, ...children) => b.h('section', { class: `view view-${name}`, dataset: { show: `view:${name}` }, 'aria-label': title }, ...children);
  return b.h('div', { class: 'spl compact' },
    messagesParts(b),
    sceneParts(b),
    view('fit', 'Fit', fit.canvas, fit.legend, fit.explain),
    b.h('div', { class: 'scrub-row', dataset: { show: 'view:scrubber control:play' } }, scrub.play, scrub.scrubber,
      b.h('output', { id: 'tau-readout', class: 'readout' }, 'τ = 1'), scrub.help),
    view('neurons', 'Neurons', neurons.canvas, neurons.legend, neurons.explain),
    view('curves', 'Against τ', curves.top, curves.topLegend, curves.bottom, curves.bottomLegend, curves.test, curves.explain),
    b.h('div', { class: 'controls', dataset: { show: CONTROL_GROUPS.map((c) => `control:${c}`).join(' ') } }, dataPanel(b), settingsForm(b, false)),
    b.h('div', { class: 'bar' },
      progressParts(b),
      gdParts(b),
      b.h('p', { id: 'cert-text', class: 'status cert', hidden: true }),
      exportsMenu(b),
      b.h('button', { type: 'button', id: 'theme-toggle', dataset: { show: 'control:theme' } }, 'Theme: auto'),
      b.h('a', { id: 'full-link', class: 'full-link', target: '_blank', rel: 'noopener', href: '#' }, 'Open in the full lab ↗')));
}

/** Builds an instance's elements: {root, $} where $(name) is the element whose id was `name`. */
export function buildLab({ idPrefix = '', layout = 'full' } = {}) {
  const b = new Builder(idPrefix);
  const root = layout === 'full' ? full(b) : compact(b);
  return { root, $: (name) => b.byId[name] || null };
}
