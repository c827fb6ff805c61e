//! The infinite-width scaling path solved as such (MATH §11), in the CLI's report schema:
//! `scaling-path path --exact`. Each τ is solved by [`crate::continuum`] (Newton on the dual
//! integrated over cells where the minimizer is one piece); its α, primal, dual, gap,
//! residual and drawn curve are those of the infinite-width problem, each with the
//! integration's own error estimate (`integration_error` of `f(X)`, `fit_error` of the curve).
//!
//! The report's rows `[p, share, a, w, b]` sample the optimal measure: every direction `t_p` of
//! the data-aligned quadrature in `init` moved to its exact minimizer `θ*_α(t_p)` (share 1) — a
//! picture of where the neurons go for the neurons view, not the measure the numbers integrate
//! (so `primal` is not the rows' sum here).
//!
//! Native only for now (it times its solves and integrates on two threads), and slower than
//! the discretized default by two to three orders of magnitude; `uniform-kinks` is not
//! supported.

use crate::continuum::{Continuum, ContinuumSettings, curve, solve_path};
use crate::input::data::Data;
use crate::input::error::{Error, Result};
use crate::input::params::ValidPathParams;
use crate::network::init::Width;
use crate::path::report::{Fit, PathReport, TauReport};
use crate::path::ScalingPath;

/// A τ counts as certified when its relative gap is at most this…
const CERTIFIED_GAP: f64 = 1e-6;
/// …and its residual and the integration's error of `f(X)` at most this times `max(1, max|y|)`.
const CERTIFIED_RESIDUAL: f64 = 1e-6;

/// Solves every τ of `params` (infinite width) with the continuum solver and reports it in
/// [`PathReport`]'s schema, with the limits and distances of the discretized path's report;
/// `progress(done, total)` after each τ.
pub fn exact_path(data: &Data, params: &ValidPathParams, mut progress: impl FnMut(usize, usize)) -> Result<PathReport> {
    if !matches!(params.width(), Width::Directions(_)) {
        return Err(Error::Usage("--exact solves the infinite-width problem: it does not take --width".into()));
    }
    let mut sorted = data.x.clone();
    sorted.sort_by(f64::total_cmp);
    if sorted.windows(2).any(|w| w[0] == w[1]) {
        return Err(Error::Usage("--exact needs distinct abscissas (merge repeated points first)".into()));
    }
    let problem = Continuum::new(&data.x, &data.y, params.lambda(), params.law())?;
    let mut taus = params.taus().to_vec();
    taus.sort_by(f64::total_cmp);
    let solutions = solve_path(&problem, &taus, ContinuumSettings::default());
    // The discretized path's machinery gives the initial rule, the grid and the limits.
    let mut path = ScalingPath::new(data, params)?;
    let init = path.init_report();
    let grid = params.grid().points();
    let (kernel_limit, rich_limit) = path.limits_report();
    let limits = path.limits().clone();
    let scale = data.max_abs_y().max(1.0);
    let total = taus.len();
    let mut reports = Vec::with_capacity(total);
    for (k, (tau, sol)) in taus.iter().zip(&solutions).enumerate() {
        let (fit, errors) = curve(&problem, &sol.eval, &grid);
        let rows = init
            .neurons
            .iter()
            .enumerate()
            .map(|(p, &t)| {
                let th = sol.eval.pieces.best(t).theta;
                [p as f64, 1.0, tau * th[0], tau * th[1], tau * th[2]]
            })
            .collect();
        let sup = |other: &[f64]| fit.iter().zip(other).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        let relative_gap = if sol.primal != 0.0 { sol.gap / sol.primal.abs() } else { 0.0 };
        let certified = relative_gap.abs() <= CERTIFIED_GAP
            && sol.residual <= CERTIFIED_RESIDUAL * scale
            && sol.integration_error <= CERTIFIED_RESIDUAL * scale;
        reports.push(TauReport {
            tau: *tau,
            alpha: sol.eval.alpha.clone(),
            primal: sol.primal,
            dual: sol.dual,
            gap: sol.gap,
            relative_gap,
            residual: sol.residual,
            certified,
            transport_cost: sol.eval.cost,
            split_sources: 0,
            iterations: sol.iterations,
            neurons: rows,
            kernel_distance: limits.kernel.lazy_fit(*tau, params.lambda()).map(|f| sup(&f)),
            rich_distance: limits.rich_fit.as_deref().map(sup),
            fit_error: Some(errors.iter().fold(0.0, |m, e| m.max(*e))),
            fit_source: "continuum",
            integration_error: Some(sol.integration_error),
            fit: Fit { x: grid.clone(), y: fit },
        });
        progress(k + 1, total);
    }
    Ok(PathReport { data: data.clone(), lambda: params.lambda(), init, path: reports, kernel_limit, rich_limit })
}
