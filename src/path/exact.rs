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
//! Slower than the discretized default by two to three orders of magnitude; `uniform-kinks` is
//! not supported. The bindings solve one τ at a time with [`ExactPath::solve`].

use crate::continuum::newton::{CERTIFIED_GAP, CERTIFIED_RESIDUAL};
use crate::continuum::{Continuum, ContinuumSettings, ContinuumSolution, curve, solve, solve_path};
use crate::input::data::Data;
use crate::input::error::{Error, Result};
use crate::input::params::{ValidPathParams, check_tau};
use crate::network::init::Width;
use crate::path::report::{Fit, PathReport, TauReport};
use crate::path::ScalingPath;
use crate::path::width_check::{PROMISED_RESIDUAL, WidthCheck, check, check_problem};

/// The infinite-width problem of a data set and its parameters, with what its reports need
/// from the discretized path's machinery (the initial rule for the neurons' rows, the grid,
/// the limits). Solves one τ at a time ([`ExactPath::solve`], warm-started from any α, e.g. the
/// discretized path's at that τ) or a whole path ([`exact_path`]).
pub struct ExactPath {
    problem: Continuum,
    /// The same problem at the infinite-width check's tolerance.
    check_problem: Continuum,
    path: ScalingPath,
    grid: Vec<f64>,
    lambda: f64,
    scale: f64,
}

impl ExactPath {
    /// Checks that the continuum solver takes these data and parameters (a quadrature, not
    /// sampled neurons; distinct abscissas; a supported law) and prepares it.
    pub fn new(data: &Data, params: &ValidPathParams) -> Result<ExactPath> {
        if !matches!(params.width(), Width::Directions(_)) {
            return Err(Error::Usage("--exact solves the infinite-width problem: it does not take --width".into()));
        }
        let mut sorted = data.x.clone();
        sorted.sort_by(f64::total_cmp);
        if sorted.windows(2).any(|w| w[0] == w[1]) {
            return Err(Error::Usage("--exact needs distinct abscissas (merge repeated points first)".into()));
        }
        let problem = Continuum::new(&data.x, &data.y, params.lambda(), params.law())?;
        let check_problem = check_problem(&data.x, &data.y, params.lambda(), params.law())
            .ok_or_else(|| Error::Usage(format!("the continuum solver does not support the law '{}'", params.law().name())))?;
        let path = ScalingPath::new(data, params)?;
        Ok(ExactPath { problem, check_problem, path, grid: params.grid().points(), lambda: params.lambda(), scale: data.max_abs_y().max(1.0) })
    }

    /// τ solved from `alpha0` (one multiplier per data point, pulled toward 0 until it is in the
    /// domain), reported. An error for a τ that is not positive and finite, or an `alpha0` of
    /// another length or with a non-finite value.
    pub fn solve(&mut self, tau: f64, alpha0: &[f64]) -> Result<TauReport> {
        self.check_input(tau, alpha0, "the starting alpha")?;
        let sol = solve(&self.problem, tau, alpha0, ContinuumSettings::default());
        Ok(self.report(tau, &sol))
    }

    /// How far the network of `alpha` (one multiplier per data point, e.g. the discretized
    /// path's at `tau`) misses the data at infinite width: the CLI's check of a quadrature path
    /// (`path::width_check`), at its tolerance. The same errors as [`ExactPath::solve`].
    pub fn check(&self, tau: f64, alpha: &[f64]) -> Result<WidthCheck> {
        self.check_input(tau, alpha, "the alpha to check")?;
        let index: Vec<usize> = (0..alpha.len()).collect();
        Ok(check(&self.check_problem, &index, &self.problem.y, tau, alpha))
    }

    /// An error for a τ that is not positive and finite, or an `alpha` (named `what`) of another
    /// length than the data or with a non-finite value.
    fn check_input(&self, tau: f64, alpha: &[f64], what: &str) -> Result<()> {
        check_tau(tau)?;
        let n = self.problem.x.len();
        if alpha.len() != n || alpha.iter().any(|a| !a.is_finite()) {
            return Err(Error::Usage(format!("{what} needs {n} finite values (one per data point), got {}", alpha.len())));
        }
        Ok(())
    }

    /// The report of `sol` at `tau`: the certificate with the integration's error estimates, the
    /// curve on the grid with its own, the neurons' rows and the distances to the limits.
    fn report(&mut self, tau: f64, sol: &ContinuumSolution) -> TauReport {
        let (fit, errors) = curve(&self.problem, &sol.eval, &self.grid);
        let rows = self
            .path
            .initial_measure()
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
        // The residual is held to the larger of the target and what rounding α to doubles can
        // cause (near the domain's edge J is huge: `continuum::newton::conditioning_floor`), but
        // never above the accuracy the lab promises.
        let allowed = (CERTIFIED_RESIDUAL * self.scale).max(sol.residual_floor).min(PROMISED_RESIDUAL * self.scale);
        let certified = relative_gap.abs() <= CERTIFIED_GAP
            && sol.residual <= allowed
            && sol.integration_error <= CERTIFIED_RESIDUAL * self.scale;
        let limits = self.path.limits();
        TauReport {
            tau,
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
            kernel_distance: limits.kernel.lazy_fit(tau, self.lambda).map(|f| sup(&f)),
            rich_distance: limits.rich_fit.as_deref().map(sup),
            fit_error: Some(errors.iter().fold(0.0, |m, e| m.max(*e))),
            fit_source: "continuum",
            integration_error: Some(sol.integration_error),
            infinite_width_residual: Some(sol.residual),
            infinite_width_error: Some(sol.integration_error),
            infinite_width_outside: None,
            budget_exhausted: false,
            fit: Fit { x: self.grid.clone(), y: fit },
        }
    }
}

/// Solves every τ of `params` (infinite width) with the continuum solver and reports it in
/// [`PathReport`]'s schema, with the limits and distances of the discretized path's report;
/// `progress(done, total)` after each τ.
pub fn exact_path(data: &Data, params: &ValidPathParams, mut progress: impl FnMut(usize, usize)) -> Result<PathReport> {
    let mut exact = ExactPath::new(data, params)?;
    let mut taus = params.taus().to_vec();
    taus.sort_by(f64::total_cmp);
    let solutions = solve_path(&exact.problem, &taus, ContinuumSettings::default());
    let init = exact.path.init_report();
    let (kernel_limit, rich_limit) = exact.path.limits_report();
    let total = taus.len();
    let mut reports = Vec::with_capacity(total);
    for (k, (tau, sol)) in taus.iter().zip(&solutions).enumerate() {
        reports.push(exact.report(*tau, sol));
        progress(k + 1, total);
    }
    Ok(PathReport { data: data.clone(), lambda: params.lambda(), init, path: reports, kernel_limit, rich_limit })
}
