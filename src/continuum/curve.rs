//! `f_α(x) = τ² ∫ φ(θ*_α(t), x) dν0(t)` off the data (MATH §8, §11), on the panels and nodes
//! of the evaluation that solved the dual.
//!
//! On a piece, `φ(θ*, x) = θ*_a (θ*_w x + θ*_b)₊` with `θ* = L_c t`. A ray's minimizer keeps its
//! `(w, b)` on the ray, so the activity of `x` is fixed; so is it for the interior of a sector
//! that `x`'s breakpoint line `w x + b = 0` does not cut — those pieces contribute
//! `z_c·(x, 1)` (or `z_c (e·x̃)₊`) from their moments. The two sectors the line cuts are
//! integrated interval by interval at each `β` node, split where `m·t = 0` (`m = x L_w + L_b`,
//! a root of `c₀ + R cos(ϕ − ψ)`, closed form), each part exactly from `∫ t tᵀ dϕ`. The error
//! estimate is the same `Σ |K₁₅ − G₇|` over the panels as the dual's.

use super::integrate::{BetaLaw, Functionals, Panel, panel};
use super::piece_map::{Sym, bilinear, congruence, moments, piece_of};
use super::problem::{Continuum, Evaluation};
use crate::dual::direction::Candidate;
use std::f64::consts::PI;

/// The per-piece `z = (Θ_aw, Θ_ab)` (a ray: `(aρ, 0)`) of a set of moments.
fn zs(eval: &Evaluation, funcs: &Functionals, t: &[Sym]) -> Vec<[f64; 2]> {
    let s = eval.pieces.v.len();
    t.iter()
        .enumerate()
        .map(|(c, tc)| {
            let Some(l) = &funcs.l[c] else { return [0.0, 0.0] };
            if tc.iter().all(|&v| v == 0.0) {
                return [0.0, 0.0];
            }
            let th = congruence(l, tc);
            match piece_of(c, s) {
                Candidate::Interior(_) => [th[1], th[2]],
                Candidate::Ray(r) => {
                    let e = eval.pieces.ray[r as usize];
                    [e[0] * th[1] + e[1] * th[2], 0.0]
                }
                Candidate::Dead => [0.0, 0.0],
            }
        })
        .collect()
}

/// `∫_{lo}^{hi} (l·t)(m·t)₊ dϕ` at `(sb, cb)`.
fn split_integral(sb: f64, cb: f64, lo: f64, hi: f64, l: &[f64; 3], m: &[f64; 3]) -> f64 {
    let c0 = m[0] * sb;
    let r = cb * f64::hypot(m[1], m[2]);
    // `lo`, the roots inside `(lo, hi)` (two per turn, at most ten candidates), `hi`.
    let mut cuts = [0.0; 12];
    cuts[0] = lo;
    let mut count = 1;
    if r > c0.abs() {
        let psi = libm::atan2(m[2], m[1]);
        let delta = libm::acos(-c0 / r);
        for root in [psi - delta, psi + delta] {
            for k in -2..=2 {
                let v = root + 2.0 * PI * k as f64;
                if v > lo && v < hi {
                    cuts[count] = v;
                    count += 1;
                }
            }
        }
    }
    cuts[count] = hi;
    count += 1;
    let cuts = &mut cuts[..count];
    cuts.sort_by(f64::total_cmp);
    let mut sum = 0.0;
    for w in cuts.windows(2) {
        let mid = 0.5 * (w[0] + w[1]);
        let sign = c0 + cb * (m[1] * libm::cos(mid) + m[2] * libm::sin(mid));
        if sign > 0.0 && w[1] > w[0] {
            sum += bilinear(l, &moments(sb, cb, w[0], w[1]), m);
        }
    }
    sum
}

/// The curve's error target, relative to `max(1, max|y|)`: the data's certificate's, a tenth
/// of what the lab promises (1e-3).
pub const CURVE_TOLERANCE: f64 = super::newton::CERTIFIED_RESIDUAL;

/// What every grid point needs to know of the pieces: per piece its column `u` at the point
/// (the activity of the interior pieces from their sector's bisector), and the sectors the
/// point's breakpoint line cuts (integrated interval by interval).
struct Columns {
    u: Vec<[f64; 2]>,
    cut: Vec<usize>,
    g: f64,
}

fn columns(problem: &Continuum, g: f64) -> Columns {
    let sectors = &problem.sectors;
    let s = sectors.len();
    let scale = problem.x.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let at_data = problem.x.iter().any(|&xi| (xi - g).abs() <= 1e-14 * scale);
    let norm = f64::sqrt(1.0 + g * g);
    let e = [1.0 / norm, -g / norm];
    let cut: Vec<usize> = if at_data { vec![] } else { vec![sectors.sector_of(e), sectors.sector_of([-e[0], -e[1]])] };
    let u = (0..2 * s + 1)
        .map(|c| match piece_of(c, s) {
            Candidate::Interior(k) => {
                let (a0, a1) = sectors.sector_span(k as usize);
                let mid = 0.5 * (a0 + a1);
                if libm::cos(mid) * g + libm::sin(mid) > 0.0 { [g, 1.0] } else { [0.0, 0.0] }
            }
            Candidate::Ray(r) => {
                let er = sectors.ray[r as usize];
                [crate::network::model::relu(er[0] * g + er[1]), 0.0]
            }
            Candidate::Dead => [0.0, 0.0],
        })
        .collect();
    Columns { u, cut, g }
}

/// One panel's Kronrod and Gauss sums of `f_α(g)/τ²` at every grid point.
fn panel_curve(eval: &Evaluation, funcs: &Functionals, p: &Panel, columns: &[Columns]) -> Vec<(f64, f64)> {
    let s = eval.pieces.v.len();
    let (zk, zg) = (zs(eval, funcs, &p.kronrod), zs(eval, funcs, &p.gauss));
    columns
        .iter()
        .map(|col| {
            let (mut k_sum, mut g_sum) = (0.0, 0.0);
            for c in 0..2 * s + 1 {
                if col.cut.contains(&c) {
                    continue;
                }
                k_sum += zk[c][0] * col.u[c][0] + zk[c][1] * col.u[c][1];
                g_sum += zg[c][0] * col.u[c][0] + zg[c][1] * col.u[c][1];
            }
            for &k in &col.cut {
                let Some(l) = &funcs.l[k] else { continue };
                let row_a = l[0];
                let m = [0, 1, 2].map(|j| col.g * l[1][j] + l[2][j]);
                for (nd, wk, wg) in &p.nodes {
                    for iv in nd.intervals.iter().filter(|iv| iv.piece == Candidate::Interior(k as u32)) {
                        let v = nd.density * split_integral(nd.sb, nd.cb, iv.lo, iv.hi, &row_a, &m);
                        k_sum += wk * v;
                        g_sum += wg * v;
                    }
                }
            }
            (k_sum, g_sum)
        })
        .collect()
}

/// `f_α` on `grid` for the solution `eval` of `problem`, with an error estimate per point.
///
/// Starts from the panels that integrated the data. Off the data the integrand has one more
/// kink in `β` per grid point (where its breakpoint line meets the edge of a cut sector's
/// piece), which those panels did not target: while some point's estimate exceeds
/// [`CURVE_TOLERANCE`]`·max(1, max|y|)`, the panel that contributes most to it is halved (up to
/// the integration's panel cap).
pub fn curve(problem: &Continuum, eval: &Evaluation, grid: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let funcs = Functionals::new(&eval.pieces, &problem.settings.envelope);
    let tau2 = eval.tau * eval.tau;
    let columns: Vec<Columns> = grid.iter().map(|&g| columns(problem, g)).collect();
    let mut panels: Vec<(Panel, Vec<(f64, f64)>)> = eval
        .integration
        .panels
        .iter()
        .map(|p| (p.clone(), panel_curve(eval, &funcs, p, &columns)))
        .collect();
    let target = CURVE_TOLERANCE * problem.scale_y();
    let errors_of = |panels: &[(Panel, Vec<(f64, f64)>)]| -> Vec<f64> {
        (0..grid.len()).map(|i| tau2 * panels.iter().map(|(_, v)| (v[i].0 - v[i].1).abs()).sum::<f64>()).collect()
    };
    if let BetaLaw::Continuous { scale } = problem.law {
        let settings = &problem.settings;
        loop {
            let errors = errors_of(&panels);
            let (worst, &error) = errors.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap_or((0, &0.0));
            if error <= target || panels.len() >= settings.max_panels {
                break;
            }
            let q = (0..panels.len())
                .max_by(|&a, &b| {
                    let d = |p: usize| (panels[p].1[worst].0 - panels[p].1[worst].1).abs();
                    d(a).total_cmp(&d(b))
                })
                .unwrap_or(0);
            let (p, _) = panels.swap_remove(q);
            let mid = 0.5 * (p.lo + p.hi);
            let make = |lo: f64, hi: f64| panel(&eval.pieces, &funcs, &problem.sectors, &problem.x, scale, tau2, settings, lo, hi).0;
            for half in [make(p.lo, mid), make(mid, p.hi)] {
                let v = panel_curve(eval, &funcs, &half, &columns);
                panels.push((half, v));
            }
        }
    }
    let values = (0..grid.len()).map(|i| tau2 * panels.iter().map(|(_, v)| v[i].0).sum::<f64>()).collect();
    (values, errors_of(&panels))
}
