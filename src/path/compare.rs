//! Gradient descent against the scaling path from the same neurons, τ by τ (MATH §3, §8).
//!
//! From `m` sampled neurons the scaling path is the cheapest of *all* transport plans that fit
//! the data, and gradient descent's final state is one such plan (when it interpolates), so
//! `W_path(τ) ≤ W_gd(τ)` up to the path's certified gap and GD's residual. The comparison row
//! of each τ gives both costs, `sup |f_gd − f_τ|` over the grid, and GD's status.
//!
//! GD stops at a residual `r = f_gd(X) − y` of about `1e-6`, so its plan interpolates `ŷ = y + r`,
//! not `y`. The optimal cost is convex in the targets with subgradient `α` (the path's dual
//! solution at `y`), so `W_path(y) ≤ W_path(ŷ) + ⟨α, y − ŷ⟩ ≤ W_gd + |α|₁ max|r|`, and the
//! path's own value is within its certified gap of the optimum: the row checks
//! `w_path ≤ w_gd + slack` with `slack = |α|₁ max|r| + |gap|` (when GD reached the data).

use crate::gd::plane::{PlaneGdReport, plane_optimization_path};
use crate::gd::{GdReport, GdRun, Progress, ValidGdParams, optimization_path};
use crate::input::plane_data::PlaneData;
use crate::path::plane::{PlanePathReport, plane_path};
use crate::input::data::Data;
use crate::input::error::Result;
use crate::path::report::{PathReport, TauReport};
use crate::path::solve_path;
use serde::Serialize;

/// One τ of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonRow {
    /// Initialization scale.
    pub tau: f64,
    /// `sup_grid |f_gd − f_τ|`.
    pub sup_distance: f64,
    /// The scaling path's transport cost `W_path` from the `m` neurons.
    pub w_path: f64,
    /// Gradient descent's `W_gd = Σ_j ω_j |θ_j(∞) − τθ̄_j|²`.
    pub w_gd: f64,
    /// `w_gd − w_path` (≥ 0 up to round-off, the path's gap and GD's residual).
    pub cost_excess: f64,
    /// GD's status: `converged`, `stalled` or `capped`.
    pub gd_status: &'static str,
    /// GD's final `max_i |f(x_i) − y_i|`.
    pub gd_residual: f64,
    /// The path's τ is certified.
    pub path_certified: bool,
    /// `|α|₁ · gd_residual + |gap|`: what `w_path` may exceed `w_gd` by (module docs).
    pub slack: f64,
    /// `w_path ≤ w_gd + slack`; `null` when GD did not converge (its plan does not fit the data).
    pub w_path_le_w_gd: Option<bool>,
}

/// `scaling-path compare`: the path, the gradient-descent runs and their comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareReport {
    /// The scaling path from the same neurons (the `path` command's schema).
    pub path: PathReport,
    /// Gradient descent at every τ (the `gd` command's schema).
    pub gd: GdReport,
    /// One row per τ, increasing.
    pub comparison: Vec<ComparisonRow>,
}

/// `sup_i |a_i − b_i|` (NaN when the lengths differ or a value is not finite).
pub fn sup_distance(a: &[f64], b: &[f64]) -> f64 {
    if a.len() != b.len() {
        return f64::NAN;
    }
    a.iter().zip(b).fold(0.0f64, |m, (p, q)| {
        let d = (p - q).abs();
        if d.is_nan() || m.is_nan() { f64::NAN } else { m.max(d) }
    })
}

/// The comparison row of one τ, from the path's report and GD's run at that τ (same grid).
pub fn row(path: &TauReport, gd: &GdRun) -> ComparisonRow {
    row_of(PathPoint { tau: path.tau, alpha: &path.alpha, gap: path.gap, transport_cost: path.transport_cost, certified: path.certified }, sup_distance(&gd.fit.y, &path.fit.y), gd)
}

/// What a comparison row needs of the path at one τ.
pub struct PathPoint<'a> {
    /// Initialization scale.
    pub tau: f64,
    /// The dual solution.
    pub alpha: &'a [f64],
    /// `P − D`.
    pub gap: f64,
    /// `W_path`.
    pub transport_cost: f64,
    /// The τ is certified.
    pub certified: bool,
}

/// The comparison row of one τ in any dimension: `sup` is `sup_grid |f_gd − f_τ|`.
pub fn row_of<N, F>(path: PathPoint, sup: f64, gd: &GdRun<N, F>) -> ComparisonRow {
    let slack = path.alpha.iter().map(|a| a.abs()).sum::<f64>() * gd.residual + path.gap.abs();
    ComparisonRow {
        tau: path.tau,
        sup_distance: sup,
        w_path: path.transport_cost,
        w_gd: gd.transport_cost,
        cost_excess: gd.transport_cost - path.transport_cost,
        gd_status: gd.status,
        gd_residual: gd.residual,
        path_certified: path.certified,
        slack,
        w_path_le_w_gd: gd.converged.then_some(path.transport_cost <= gd.transport_cost + slack),
    }
}

/// Solves the path from the `m` neurons of `params` and runs gradient descent from them at
/// every τ; `progress` hears about GD's steps (the path is reported whole).
pub fn compare(data: &Data, params: &ValidGdParams, progress: impl FnMut(Progress)) -> Result<CompareReport> {
    let path = solve_path(data, params.path_params(), |_, _, _| {})?;
    let gd = optimization_path(data, params, progress)?;
    let comparison = path.path.iter().zip(&gd.runs).map(|(p, g)| row(p, g)).collect();
    Ok(CompareReport { path, gd, comparison })
}

/// `scaling-path compare` on data in the plane.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaneCompareReport {
    /// The scaling path from the same neurons (the plane's `path` schema).
    pub path: PlanePathReport,
    /// Gradient descent at every τ (the plane's `gd` schema).
    pub gd: PlaneGdReport,
    /// One row per τ, increasing.
    pub comparison: Vec<ComparisonRow>,
}

/// [`compare`] for data in the plane; the sup distance is over the plane's grid.
pub fn compare_plane(data: &PlaneData, params: &ValidGdParams, progress: impl FnMut(Progress)) -> Result<PlaneCompareReport> {
    let path = plane_path(data, params.path_params(), |_, _| {})?;
    let gd = plane_optimization_path(data, params, progress)?;
    let flat = |f: &[Vec<f64>]| f.concat();
    let comparison = path
        .path
        .iter()
        .zip(&gd.runs)
        .map(|(p, g)| {
            let point = PathPoint { tau: p.tau, alpha: &p.alpha, gap: p.gap, transport_cost: p.transport_cost, certified: p.certified };
            row_of(point, sup_distance(&flat(&g.fit.f), &flat(&p.fit.f)), g)
        })
        .collect();
    Ok(PlaneCompareReport { path, gd, comparison })
}
