// The settings form and the data panel of an instance (dom.js, no HTML parsing). Every row says
// which control group it belongs to (data-show="control:<group>"): the compact layout shows only
// the groups chosen with `controls=` / mount({controls}). The limits that keep a tab responsive
// are stated next to the inputs they bound (validate.js LIMITS).

/** The control groups of the settings and data panels (plus play, theme and export elsewhere). */
export const CONTROL_GROUPS = ['presets', 'csv', 'truth', 'tau', 'taus', 'lambda', 'init', 'width', 'gd', 'grid'];

const show = (group) => ({ show: `control:${group}` });

/** The message of a refused value, under its control (Controls fills it; announced when shown). */
export const fieldMessage = (b, id) => b.h('p', { id: `${id}-message`, class: 'field-message', role: 'alert', hidden: true });

function text(b, id, label, group, mode = 'decimal') {
  return b.h('div', { class: 'field', dataset: show(group) },
    b.h('label', { for: id }, ...label),
    b.h('input', { id, type: 'text', inputmode: mode, spellcheck: 'false', autocomplete: 'off' }),
    fieldMessage(b, id));
}

const small = (b, t) => b.h('small', {}, t);

function check(b, id, label, group, attrs = {}) {
  return b.h('div', { class: 'field check', dataset: show(group) },
    b.h('input', { id, type: 'checkbox', ...attrs }), b.h('label', { for: id }, ...label), fieldMessage(b, id),
    id === 'symmetric' ? b.h('p', { id: 'symmetric-note', class: 'help field-note', hidden: true },
      'At infinite width every law here is already symmetric under a → −a, so the initial function is 0 with or without this box; it changes sampled neurons (finite width and GD) only.') : null);
}

function radio(b, id, value, label, group) {
  return b.h('div', { class: 'field check', dataset: show(group) },
    b.h('input', { id, type: 'radio', name: 'net', value }), b.h('label', { for: id }, label), fieldMessage(b, id));
}

/** The settings form; `full` adds the panel around it and the paragraph on limits. */
export function settingsForm(b, full) {
  const form = b.h('form', { id: 'settings', class: 'settings', novalidate: true },
    b.h('fieldset', {},
      b.h('legend', {}, 'Scales τ'),
      text(b, 'tau', ['selected τ'], 'tau'),
      text(b, 'tau-min', ['τ min'], 'taus'),
      text(b, 'tau-max', ['τ max'], 'taus'),
      text(b, 'tau-count', ['number of τ ', small(b, '(≤ 1000)')], 'taus', 'numeric'),
      text(b, 'lambda', ['λ ', small(b, '(0: interpolate)')], 'lambda')),
    b.h('fieldset', {},
      b.h('legend', {}, 'Initialization'),
      b.h('div', { class: 'field select', dataset: show('init') },
        b.h('label', { for: 'law' }, 'initial law'),
        b.h('select', { id: 'law', 'aria-describedby': 'law-help' },
          b.h('option', { value: 'gaussian' }, 'Gaussian'), b.h('option', { value: 'sphere' }, 'sphere'),
          b.h('option', { value: 'balanced' }, 'balanced'), b.h('option', { value: 'uniform-kinks' }, 'uniform kinks')),
        fieldMessage(b, 'law')),
      b.h('p', { id: 'law-help', class: 'help', dataset: show('init') }, 'Gaussian N(0, I₃); uniform on the unit sphere; balanced |a| = |(w, b)|; kinks −b/w uniform over the data.'),
      check(b, 'symmetric', ['symmetric (twins (−a, w, b): f = 0 at start)'], 'init', { 'aria-describedby': 'symmetric-note' }),
      radio(b, 'net-inf', 'inf', 'infinite width', 'width'),
      text(b, 'directions', ['directions N ', small(b, '(≤ 65 536)')], 'width', 'numeric'),
      b.h('p', { class: 'help', dataset: show('width') }, 'Infinite width is solved on a quadrature of N directions aligned with the data: its certificate is that of this discretized problem, whose curves can be a few percent of max|y| off the infinite-width ones in the transition (τ ≈ 3–30). Once the path is done, the selected τ is also solved as infinite width itself (thin curve over the bold one, its error estimates under the Fit), as the command line\'s path --exact does for every τ.'),
      radio(b, 'net-finite', 'finite', 'finite width', 'width'),
      text(b, 'width', ['neurons m ', small(b, '(≤ 20 000)')], 'width', 'numeric'),
      text(b, 'seed', ['seed'], 'width', 'numeric')),
    b.h('fieldset', { id: 'gd-fieldset' },
      b.h('legend', {}, 'Gradient descent'),
      check(b, 'gd', ['run GD from m neurons: its final state at the selected τ, then across the path'], 'gd'),
      text(b, 'gd-width', ['neurons m ', small(b, '(≤ 20 000)')], 'gd', 'numeric'),
      text(b, 'gd-seed', ['seed'], 'gd', 'numeric'),
      text(b, 'gd-steps', ['max steps ', small(b, '(≤ 10⁶)')], 'gd', 'numeric'),
      b.h('p', { id: 'gd-status', class: 'status', role: 'status', dataset: show('gd') })),
    b.h('fieldset', {},
      b.h('legend', {}, 'Plot'),
      text(b, 'grid-min', ['x from'], 'grid'),
      text(b, 'grid-max', ['x to'], 'grid'),
      text(b, 'grid-count', ['grid points ', small(b, '(≤ 5001)')], 'grid', 'numeric')));
  if (!full) return form;
  return b.h('section', { class: 'panel settings-panel', 'aria-labelledby': 'settings-title' },
    b.h('h2', { id: 'settings-title' }, 'Settings'),
    form,
    b.h('p', { class: 'help' }, 'Every setting is kept in the page\'s link. Limits that keep the tab responsive: at most 100 points, N ≤ 65 536 directions, m ≤ 20 000 neurons, 1 000 values of τ, 5 001 grid points, 10⁶ gradient-descent steps. Defaults (N = 4 096, 41 τ over [10⁻³, 10³], 301 grid points) put a first fit on screen in well under a second and the whole path in a few seconds.'));
}

/** The ground truth: a target (a name or a formula in x, parsed by the solver), the points drawn
 * from it, and what the lab then shows (the target dashed, the test error against τ). */
function truthParts(b) {
  return b.h('div', { class: 'truth', dataset: show('truth') },
    b.h('h3', {}, 'Ground truth'),
    b.h('div', { class: 'field select' },
      b.h('label', { for: 'target-preset' }, 'target'),
      b.h('select', { id: 'target-preset' },
        b.h('option', { value: '' }, 'choose…'),
        ...['sine', 'step', 'abs', 'kink', 'bump'].map((n) => b.h('option', { value: n }, n)),
        b.h('option', { value: 'formula' }, 'a formula in x'))),
    b.h('div', { class: 'field wide' },
      b.h('label', { for: 'target' }, 'g(x) = '),
      b.h('input', { id: 'target', type: 'text', spellcheck: 'false', autocomplete: 'off', placeholder: 'sin(1.5*x), abs(x) - 0.5, …', maxlength: '200' }),
      fieldMessage(b, 'target')),
    text(b, 'target-points', ['points ', small(b, '(≤ 100)')], 'truth', 'numeric'),
    text(b, 'target-noise', ['noise (std. dev.)'], 'truth'),
    text(b, 'target-seed', ['seed'], 'truth', 'numeric'),
    b.h('p', { class: 'buttons' },
      b.h('button', { type: 'button', id: 'target-draw' }, 'Draw training points'),
      b.h('button', { type: 'button', id: 'target-clear' }, 'No ground truth')),
    b.h('p', { class: 'help' }, 'Points are drawn from g on [−2, 2] with Gaussian noise; the lab then draws g dashed behind the fit and, against τ, how far each fit is from g over the data\'s range (RMS): what the network predicts where it was not trained. Names: sine, step, abs, kink, bump; a formula may use x, numbers, pi, e, + − * / ^ and sin cos tan exp log sqrt abs tanh relu step.'));
}

/** Presets, "Add a point", the CSV box and the ground truth. */
export function dataPanel(b) {
  return b.h('section', { class: 'panel data-panel', 'aria-labelledby': 'data-title', dataset: { show: 'control:presets control:csv' } },
    b.h('h2', { id: 'data-title' }, 'Data'),
    b.h('div', { class: 'presets', role: 'group', 'aria-label': 'Data presets', id: 'presets', dataset: show('presets') }),
    b.h('p', { class: 'help', dataset: show('presets') }, 'Up to 100 points. ', b.h('button', { type: 'button', id: 'add-point' }, 'Add a point')),
    b.h('div', { dataset: show('csv') },
      b.h('label', { for: 'csv' }, 'Data as CSV (header ', b.h('code', {}, 'x,y'), ')'),
      b.h('textarea', { id: 'csv', rows: '7', spellcheck: 'false', autocomplete: 'off' }),
      fieldMessage(b, 'csv'),
      b.h('button', { type: 'button', id: 'apply-csv' }, 'Apply CSV')),
    truthParts(b));
}
