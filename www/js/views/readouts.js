// The text around the views, refreshed every frame (set only when it changed): the τ readout,
// which legend entries show, the progress bar and line, the certificate of the τ on screen.
import { fmt, fmtMs, fmtTau } from '../ui/format.js';
import { uncertifiedAt } from './fit.js';

function setText(el, t) { if (el && el.textContent !== t) el.textContent = t; }
/** Shows the legend entry data-key=`key` of `legend` iff `on`. */
function entry(legend, key, on) { const el = legend.querySelector(`[data-key="${key}"]`); if (el.hidden === on) el.hidden = !on; }

/** lab: a LabApp (its state, path, GD runs, worker client and elements). */
export function readouts(lab) {
  const { app, path, $ } = lab, s = app.state, p = path.current, lim = path.limits;
  setText($('tau-readout'), `τ = ${fmtTau(s.tau)}`);
  const ser = path.series(), fitLegend = $('fit-legend'), curvesLegend = $('curves-legend');
  entry(fitLegend, 'kernel', !!(lim && lim.kernel && lim.kernel.fit));
  entry(fitLegend, 'rich', !!(lim && lim.rich && lim.rich.fit));
  entry(fitLegend, 'gd', !!app.gdRun);
  entry(fitLegend, 'uncertified', uncertifiedAt(path, s.tau));
  const exact = app.exactAt ? app.exactAt(s) : null;
  entry(fitLegend, 'exact', !!(exact && exact.fit));
  const certLegend = $('certificate-legend');
  if (certLegend) entry(certLegend, 'exact', !!(app.exactSeries && app.exactSeries().length));
  entry(fitLegend, 'target', !!(lim && lim.target && s.target));
  const testWrap = $('test-wrap');
  if (testWrap.hidden === !!s.target) testWrap.hidden = !s.target;
  entry(curvesLegend, 'kernel', ser.hasKernel);
  entry(curvesLegend, 'rich', ser.hasRich);
  entry(curvesLegend, 'gd', app.gdPoints.length > 0);
  entry(curvesLegend, 'check', !!(app.exactSeries && app.exactSeries().some((e) => e.check > 0)));
  // The core's distance is to the kernel prediction at τ: f_K itself only for a symmetric start at λ = 0.
  const lazy = ser.lazyKernel && !(s.symmetric && s.lambda === 0);
  $('kernel-fk').hidden = lazy;
  $('kernel-lazy').hidden = !lazy;
  if (app.gdRun) setText($('gd-legend-text'), `gradient descent, ${app.gdRun.status === 'stalled' ? 'stalled' : app.gdRun.status === 'converged' ? 'final state' : 'stopped at its step cap'} (m = ${s.gdWidth})`);
  const prog = $('progress');
  const total = p ? p.total : s.tauCount, got = p ? p.received : 0;
  if (prog.max !== total) prog.max = total;
  if (prog.value !== got) prog.value = got;
  let text = !lab.client.ready ? 'starting the solver…' : !p ? (app.failed ? 'no path (see the message)' : path.limits ? `solving τ = ${fmtTau(s.tau)}; the dashed curves are the path's two ends` : 'computing the first fit…')
    : p.config.selectedOnly && !p.done ? 'solving the selected τ as you drag; the whole path follows when you let go'
    : p.config.selectedOnly ? 'the selected τ follows your drag; the whole path follows when you let go'
    : p.done ? `${p.reports.length} τ in ${fmtMs(p.elapsedMs)} · ${p.reports.filter((r) => r.certified).length} certified${budgetText(p.reports)}`
      : p.stopped ? `stopped after ${got} of ${total} τ (see the message above)` : `computing τ ${got} of ${total}…${budgetText(p.reports)}`;
  if (path.pending && p) text += ' (updating…)';
  setText($('progress-text'), text);
  const near = path.nearest(s.tau);
  setText($('cert-text'), !near ? '' : near.preview ? `A first look at τ = ${fmtTau(near.tau)} on ${near.directions} directions${near.certified ? '' : ', as it stood after half a second (not certified)'}; the real solve follows.`
    : `${Math.abs(Math.log(near.tau / s.tau)) < 1e-9 ? 'At' : 'Nearest computed:'} τ = ${fmtTau(near.tau)} — ${near.certified ? 'certified' : near.budgetExhausted ? 'NOT certified: its time budget ran out, and the fit is shown as it stood' : 'NOT certified'}${s.net === 'inf' ? ` (for ${s.directions} directions)` : ''}: relative gap ${fmt(near.relativeGap)}, residual ${fmt(near.residual)}, W² = ${fmt(near.transportCost)}${checkText(app.widthCheckAt && app.widthCheckAt(near.tau))}${exactText(exact)}`);
}

/** How many of `reports` ran out of their time budget before they were certified, as the
 * progress line's addition. */
function budgetText(reports) {
  const cut = reports.filter((r) => r.budgetExhausted && !r.preview).length;
  return cut ? ` · ${cut} cut short by their time budget (not certified)` : '';
}

/** What the cert line adds about the quadrature's α at infinite width (the CLI's check). */
function checkText(c) {
  if (!c) return '';
  if (c.infiniteWidthOutside) return '. At infinite width this α lies outside the dual\'s domain (its network is unbounded)';
  return `. At infinite width this α's network misses the data by ${fmt(c.infiniteWidthResidual)}`;
}

/** What the cert line adds about the infinite-width problem solved as such at the selected τ. */
function exactText(e) {
  if (!e) return '';
  if (e.refused) return `. Not solved as infinite width itself: ${e.refused}`;
  const scale = e.certified ? 'certified' : 'NOT certified';
  return `. Infinite width solved as such: ${scale}, residual ${fmt(e.residual)}, integration error ${fmt(e.integrationError)}, curve within ${fmt(e.fitError)}`;
}
