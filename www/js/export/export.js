// Exports of an instance: each view as PNG (at devicePixelRatio) and SVG (the same primitives
// through export-svg.js), with its legend and a caption underneath; the path as CSV (the fits,
// one column per τ; the certificates, one row per τ) and as JSON in the CLI's schema
// (src/path/report.rs); the data as CSV (what the lab's CSV box and the CLI read back). Downloads go
// through a Blob URL and <a download>.
import { SvgContext } from './export-svg.js';
import { toCliSchema, TAU_ROWS, NEURON_ROWS } from './cli-schema.js';
import { toCsv } from '../state/validate.js';
import { theme, viridis } from '../views/palette.js';
import { fmt, fmtTau } from '../ui/format.js';
import { FONT, SMALL_FONT } from '../views/plot.js';

export const EXPORTS = [
  { kind: 'fit.png', label: 'Fit — PNG', view: 'fit' },
  { kind: 'fit.svg', label: 'Fit — SVG', view: 'fit' },
  { kind: 'curves.png', label: 'Against τ — PNG', view: 'curves' },
  { kind: 'curves.svg', label: 'Against τ — SVG', view: 'curves' },
  { kind: 'neurons.png', label: 'Neurons — PNG', view: 'neurons' },
  { kind: 'neurons.svg', label: 'Neurons — SVG', view: 'neurons' },
  { kind: 'scrubber.png', label: 'τ slider — PNG', view: 'scrubber' },
  { kind: 'scrubber.svg', label: 'τ slider — SVG', view: 'scrubber' },
  { kind: 'path.csv', label: 'Path fits — CSV' },
  { kind: 'path-certificates.csv', label: 'Path certificates — CSV' },
  { kind: 'path.json', label: 'Path — JSON (CLI schema)' },
  { kind: 'data.csv', label: 'Data — CSV' },
];

/** Sizes (CSS px) used for a view that is not on screen. */
const FALLBACK = { fit: [720, 380], neurons: [720, 230], curvesTop: [720, 210], curvesBottom: [720, 190], scrubber: [720, 62] };

// --- images ----------------------------------------------------------------------------------

/** The legend entries of a view: {label, color, width, dash, marker}. */
function legendItems(lab, view, th) {
  const { app, path } = lab, s = app.state, lim = path.current && path.current.limits, ser = path.series();
  const items = [];
  if (view === 'fit') {
    items.push({ label: `f_τ at τ = ${fmtTau(s.tau)}`, color: th.fg, width: 2.5 });
    items.push({ label: 'the path, small τ → large τ', color: viridis(0.5, th) });
    if (lim && lim.kernel) items.push({ label: 'kernel limit f_K (τ → ∞)', color: th.kernel, dash: [7, 4], width: 1.8 });
    if (lim && lim.rich) items.push({ label: 'rich limit, min-norm (τ → 0)', color: th.rich, dash: [2, 3], width: 2 });
    if (app.gdRun) items.push({ label: `gradient descent (m = ${s.gdWidth})`, color: th.gd, width: 6 });
    items.push({ label: 'data', color: th.data, marker: true });
  } else if (view === 'neurons') {
    items.push({ label: 'a > 0 (up)', color: th.positive, width: 6 }, { label: 'a < 0 (down)', color: th.negative, width: 6 },
      { label: 'initial neurons at scale τ', color: th.ghost, width: 1.5 });
  } else if (view === 'curves') {
    items.push({ label: 'W²/τ² (transport cost)', color: th.cost, width: 2 });
    if (ser.hasKernel) items.push({ label: ser.lazyKernel && !(s.symmetric && s.lambda === 0) ? 'sup |f_τ − kernel prediction|' : 'sup |f_τ − f_K|', color: th.kernel, dash: [7, 4], width: 1.8 });
    if (ser.hasRich) items.push({ label: 'sup |f_τ − rich limit|', color: th.rich, dash: [2, 3], width: 2 });
    if (app.gdPoints.length) items.push({ label: 'sup |GD − f_τ|', color: th.gd, marker: true });
    items.push({ label: '|relative duality gap|', color: th.gap, width: 1.8 }, { label: 'interpolation residual', color: th.residual, dash: [5, 3], width: 1.5 },
      { label: 'certified', color: th.ok, marker: true });
  }
  return items;
}

/** One line saying what the figure shows. */
function caption(lab) {
  const s = lab.app.state;
  const net = s.net === 'inf' ? `N = ${s.directions} directions` : `m = ${s.width} neurons, seed ${s.seed}`;
  return `Scaling path lab · ${s.data.length} points · ${s.law}${s.symmetric ? ', symmetric' : ''} · ${net} · λ = ${fmt(s.lambda)} · τ = ${fmtTau(s.tau)}`;
}

/** Lays out the legend strip: {rows: [[{item, x}]], height} for width `w`. */
function layoutLegend(ctx, items, w) {
  ctx.font = SMALL_FONT;
  const rows = [[]];
  let x = 8;
  for (const it of items) {
    const iw = 30 + ctx.measureText(it.label).width + 14;
    if (x + iw > w - 8 && rows[rows.length - 1].length) { rows.push([]); x = 8; }
    rows[rows.length - 1].push({ it, x });
    x += iw;
  }
  return { rows, height: (items.length ? rows.length * 18 : 0) + 24 };
}

function drawLegend(ctx, th, layout, y0, w, text) {
  ctx.fillStyle = th.bg; ctx.fillRect(0, y0, w, layout.height);
  layout.rows.forEach((row, r) => {
    const cy = y0 + 10 + r * 18;
    for (const { it, x } of row) {
      ctx.strokeStyle = it.color; ctx.fillStyle = it.color; ctx.lineWidth = it.width || 1.5;
      ctx.setLineDash(it.dash || []);
      ctx.beginPath();
      if (it.marker) { ctx.arc(x + 11, cy, 4, 0, 2 * Math.PI); ctx.fill(); } else { ctx.moveTo(x, cy); ctx.lineTo(x + 22, cy); ctx.stroke(); }
      ctx.setLineDash([]);
      ctx.font = SMALL_FONT; ctx.fillStyle = th.fg; ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
      ctx.fillText(it.label, x + 30, cy);
    }
  });
  ctx.font = SMALL_FONT; ctx.fillStyle = th.muted; ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
  ctx.fillText(text, 8, y0 + layout.height - 11);
}

/** The plots of `view` with their sizes (on screen, or FALLBACK when the view is hidden). */
function plotsOf(lab, view) {
  const size = (plot, key) => (plot.w > 1 && plot.h > 1 ? [plot.w, plot.h] : FALLBACK[key]);
  if (view === 'fit') return [[lab.fitView.plot, size(lab.fitView.plot, 'fit')]];
  if (view === 'neurons') return [[lab.neurons.plot, size(lab.neurons.plot, 'neurons')]];
  if (view === 'scrubber') return [[lab.scrubber.plot, size(lab.scrubber.plot, 'scrubber')]];
  return [[lab.curves.top, size(lab.curves.top, 'curvesTop')], [lab.curves.bottom, size(lab.curves.bottom, 'curvesBottom')]];
}

/** Draws `view` into `ctx` (a canvas context scaled by dpr, or an SvgContext); returns [w, h]. */
function drawView(lab, view, ctx, dpr, measureOnly = false) {
  const th = theme(lab.root.dataset.theme);
  const app = { ...lab.app, theme: th, focusIndex: -1 };
  const plots = plotsOf(lab, view);
  const w = Math.max(...plots.map(([, [pw]]) => pw));
  const hPlots = plots.reduce((a, [, [, ph]]) => a + ph, 0);
  const legend = layoutLegend(lab.measureCtx || (lab.measureCtx = document.createElement('canvas').getContext('2d')), legendItems(lab, view, th), w);
  if (measureOnly) return [w, hPlots + legend.height];
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = th.bg; ctx.fillRect(0, 0, w, hPlots + legend.height);
  let oy = 0;
  const targets = plots.map(([plot, [pw, ph]]) => { const t = plot.into({ ctx, dpr, oy, w: pw, h: ph }); oy += ph; return t; });
  if (view === 'fit') lab.fitView.paint(app, targets[0]);
  else if (view === 'neurons') lab.neurons.paint(app, targets[0]);
  else if (view === 'scrubber') lab.scrubber.paint(app, targets[0]);
  else lab.curves.paint(app, targets[0], targets[1]);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.font = FONT;
  drawLegend(ctx, th, legend, hPlots, w, caption(lab));
  return [w, hPlots + legend.height];
}

async function png(lab, view) {
  const dpr = window.devicePixelRatio || 1;
  const [w, h] = drawView(lab, view, null, dpr, true);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
  drawView(lab, view, canvas.getContext('2d'), dpr);
  return new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('the PNG could not be encoded'))), 'image/png'));
}

function svg(lab, view) {
  const [w, h] = drawView(lab, view, null, 1, true);
  const ctx = new SvgContext(w, h);
  drawView(lab, view, ctx, 1);
  return new Blob([ctx.toString()], { type: 'image/svg+xml' });
}

// --- numbers ---------------------------------------------------------------------------------

function current(lab) {
  const p = lab.path.current;
  if (!p || !p.reports.length) throw new Error('there is no path to export yet');
  return p;
}

/**
 * The path in the CLI's JSON schema (src/path/report.rs): data, lambda, init, path (one entry per
 * computed τ, increasing — the selected τ included), kernel_limit and rich_limit when present.
 */
export function pathJson(lab) {
  const p = current(lab), lim = p.limits || {};
  const out = {
    data: { x: p.config.x.slice(), y: p.config.y.slice() },
    lambda: p.config.lambda,
    init: toCliSchema(p.init, NEURON_ROWS),
    // Each τ with the infinite-width check of its α where the exact worker has made it.
    path: p.reports.map((r) => toCliSchema({ ...r, ...((lab.app && lab.app.widthCheckAt && lab.app.widthCheckAt(r.tau)) || {}) }, TAU_ROWS)),
  };
  if (lim.kernel) out.kernel_limit = toCliSchema(lim.kernel);
  if (lim.rich) out.rich_limit = toCliSchema(lim.rich, NEURON_ROWS);
  return out;
}

/** The fits as CSV: x, then f at every computed τ (header tau=<τ>), then the limits. */
export function pathCsv(lab) {
  const p = current(lab), lim = p.limits || {};
  const cols = p.reports.map((r) => [`tau=${r.tau}`, r.fit.y]);
  if (lim.kernel) cols.push(['kernel_limit', lim.kernel.fit.y]);
  if (lim.rich) cols.push(['rich_limit', lim.rich.fit.y]);
  const x = p.reports[0].fit.x;
  const lines = [['x', ...cols.map(([h]) => h)].join(',')];
  for (let i = 0; i < x.length; i++) lines.push([x[i], ...cols.map(([, y]) => y[i])].join(','));
  return lines.join('\n') + '\n';
}

/** One row per τ: its certificate and costs. */
export function certificatesCsv(lab) {
  const p = current(lab);
  const head = 'tau,primal,dual,gap,relative_gap,residual,certified,transport_cost,kernel_distance,rich_distance';
  const num = (v) => (v === undefined || v === null ? '' : String(v));
  return [head, ...p.reports.map((r) => [r.tau, r.primal, r.dual, r.gap, r.relativeGap, r.residual, r.certified ? 1 : 0,
    r.transportCost, num(r.kernelDistance), num(r.richDistance)].join(','))].join('\n') + '\n';
}

// --- the entry points ------------------------------------------------------------------------

/** The export `kind` (one of EXPORTS) of the LabApp `lab`, as a Blob. */
export async function exportBlob(lab, kind) {
  const e = EXPORTS.find((x) => x.kind === kind);
  if (!e) throw new Error(`unknown export '${String(kind).slice(0, 40)}': expected one of ${EXPORTS.map((x) => x.kind).join(', ')}`);
  const text = (t, type) => new Blob([t], { type });
  if (kind === 'data.csv') return text(toCsv(lab.store.get().data), 'text/csv');
  if (kind === 'path.csv') return text(pathCsv(lab), 'text/csv');
  if (kind === 'path-certificates.csv') return text(certificatesCsv(lab), 'text/csv');
  if (kind === 'path.json') return text(JSON.stringify(pathJson(lab)), 'application/json');
  if (e.view !== 'scrubber' && !lab.path.reports.length) throw new Error('there is no path to draw yet');
  return kind.endsWith('.svg') ? svg(lab, e.view) : png(lab, e.view);
}

/** Saves the export `kind` as scaling-path-<kind> (Blob URL + <a download>). */
export async function download(lab, kind) {
  const blob = await exportBlob(lab, kind);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url; a.download = `scaling-path-${kind}`; a.hidden = true;
  lab.root.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return blob;
}
