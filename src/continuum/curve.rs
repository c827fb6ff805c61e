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

use super::integrate::Functionals;
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
    let mut cuts = vec![lo];
    if r > c0.abs() {
        let psi = libm::atan2(m[2], m[1]);
        let delta = libm::acos(-c0 / r);
        for root in [psi - delta, psi + delta] {
            for k in -2..=2 {
                let v = root + 2.0 * PI * k as f64;
                if v > lo && v < hi {
                    cuts.push(v);
                }
            }
        }
    }
    cuts.push(hi);
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

/// `f_α` on `grid` for the solution `eval` of `problem`, with an error estimate per point.
pub fn curve(problem: &Continuum, eval: &Evaluation, grid: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let sectors = &problem.sectors;
    let s = sectors.len();
    let funcs = Functionals::new(&eval.pieces);
    let tau2 = eval.tau * eval.tau;
    let panels = &eval.integration.panels;
    // Per panel, the Kronrod and the Gauss moments' `z` vectors.
    type PanelZs = (Vec<[f64; 2]>, Vec<[f64; 2]>);
    let per_panel: Vec<PanelZs> = panels.iter().map(|p| (zs(eval, &funcs, &p.kronrod), zs(eval, &funcs, &p.gauss))).collect();
    let scale = problem.x.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let mut values = Vec::with_capacity(grid.len());
    let mut errors = Vec::with_capacity(grid.len());
    for &g in grid {
        // Columns u of every piece at x = g (the activity of the interior pieces from their
        // sector's bisector), and the sectors g's breakpoint line cuts.
        let at_data = problem.x.iter().any(|&xi| (xi - g).abs() <= 1e-14 * scale);
        let norm = f64::sqrt(1.0 + g * g);
        let e = [1.0 / norm, -g / norm];
        let cut: Vec<usize> = if at_data { vec![] } else { vec![sectors.sector_of(e), sectors.sector_of([-e[0], -e[1]])] };
        let u: Vec<[f64; 2]> = (0..2 * s + 1)
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
        let (mut total, mut error) = (0.0, 0.0);
        for (p, (zk, zg)) in panels.iter().zip(&per_panel) {
            let (mut k_sum, mut g_sum) = (0.0, 0.0);
            for c in 0..2 * s + 1 {
                if cut.contains(&c) {
                    continue;
                }
                k_sum += zk[c][0] * u[c][0] + zk[c][1] * u[c][1];
                g_sum += zg[c][0] * u[c][0] + zg[c][1] * u[c][1];
            }
            for &k in &cut {
                let Some(l) = &funcs.l[k] else { continue };
                let row_a = l[0];
                let m = [0, 1, 2].map(|j| g * l[1][j] + l[2][j]);
                for (nd, wk, wg) in &p.nodes {
                    for iv in nd.intervals.iter().filter(|iv| iv.piece == Candidate::Interior(k as u32)) {
                        let v = nd.density * split_integral(nd.sb, nd.cb, iv.lo, iv.hi, &row_a, &m);
                        k_sum += wk * v;
                        g_sum += wg * v;
                    }
                }
            }
            total += k_sum;
            error += (k_sum - g_sum).abs();
        }
        values.push(tau2 * total);
        errors.push(tau2 * error);
    }
    (values, errors)
}
