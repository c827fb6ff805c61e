//! How far the discretized path is from infinite width (MATH §11), per τ.
//!
//! The default path solves the dual of an N-direction quadrature of `ν0`; its certificate is
//! that problem's. The network its `α` stands for at infinite width is
//! `f_∞(x) = τ² ∫ φ(θ*_α(t), x) dν0(t)`, integrated here by [`crate::continuum`] — over cells
//! where the minimizer is one piece, with no quadrature of directions, so independent of the
//! rule the path solved. `infinite_width_residual = max_i |y_i − λα_i − f_∞(x_i)|` is then how
//! far that network misses the data: at most the integration's error (reported beside it) when
//! the quadrature is faithful, and large where it is not (nearly coincident abscissas, steep
//! targets). `path --exact` solves the infinite-width problem itself.

use crate::continuum::{BetaLaw, Continuum};
use crate::input::data::Data;
use crate::input::params::ValidPathParams;
use crate::network::init::{Law, Width};
use crate::path::report::{PathReport, TauReport};
use serde::Serialize;

/// Integration tolerance of the check, relative to `max(1, max|y|)`: a tenth of the accuracy
/// the lab promises (1e-3). The error estimates it reaches (~6e-5) are reported per τ; at 1e-5
/// the check cost twice as much (docs/SOLVER.md).
const CHECK_TOLERANCE: f64 = 1e-4;

/// The data residual the lab promises at infinite width, relative to `max(1, max|y|)`: the CLI
/// warns when a quadrature's α misses it, and `--exact` does not certify a τ above it.
pub const PROMISED_RESIDUAL: f64 = 1e-3;

/// The data grouped by abscissa (the continuum needs distinct ones): for each distinct `x`,
/// the original points at it.
pub fn groups(x: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut distinct: Vec<f64> = Vec::new();
    let index = x
        .iter()
        .map(|&xi| match distinct.iter().position(|&d| d == xi) {
            Some(j) => j,
            None => {
                distinct.push(xi);
                distinct.len() - 1
            }
        })
        .collect();
    (distinct, index)
}

/// Whether the check applies: an infinite-width quadrature (not sampled neurons) of a law whose
/// `β`-part the continuum integrates (`uniform-kinks` is not one).
pub fn applies(params: &ValidPathParams) -> bool {
    matches!(params.width(), Width::Directions(_)) && BetaLaw::of(params.law()).is_some()
}

/// The infinite-width check of one `α`: how far its network at infinite width misses the data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WidthCheck {
    /// `max_i |y_i − λα_i − f_∞(x_i)|` (absent outside the domain).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infinite_width_residual: Option<f64>,
    /// The integration's error estimate of `f_∞(X)` (absent outside the domain).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infinite_width_error: Option<f64>,
    /// `α` lies outside the infinite-width dual's domain: its network is unbounded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infinite_width_outside: Option<bool>,
}

impl WidthCheck {
    /// Writes the check into a τ's report.
    pub fn apply(&self, r: &mut TauReport) {
        r.infinite_width_residual = self.infinite_width_residual;
        r.infinite_width_error = self.infinite_width_error;
        r.infinite_width_outside = self.infinite_width_outside;
    }
}

/// [`WidthCheck`] for the points `(x[index[i]], y[i])` (`x` distinct) and `α` per point, on
/// `problem` (over `x`, its tolerance set by the caller).
pub fn check(problem: &Continuum, index: &[usize], y: &[f64], tau: f64, alpha: &[f64]) -> WidthCheck {
    let mut merged = vec![0.0; problem.x.len()];
    for (i, &j) in index.iter().enumerate() {
        merged[j] += alpha[i];
    }
    match problem.evaluate(tau, &merged) {
        Some(e) => {
            let residual = (0..y.len()).map(|i| (y[i] - problem.lambda * alpha[i] - e.fit[index[i]]).abs()).fold(0.0, f64::max);
            WidthCheck { infinite_width_residual: Some(residual), infinite_width_error: Some(e.max_fit_error()), infinite_width_outside: None }
        }
        None => WidthCheck { infinite_width_residual: None, infinite_width_error: None, infinite_width_outside: Some(true) },
    }
}

/// The problem the check integrates on, for data whose abscissas are `x` (distinct), and its
/// tolerance: [`CHECK_TOLERANCE`]` · max(1, max|y|)`.
pub fn check_problem(x: &[f64], y: &[f64], lambda: f64, law: Law) -> Option<Continuum> {
    let scale = y.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    // `y` only sets the problem's scale; residuals are taken per original point by [`check`].
    let mut problem = Continuum::new(x, &vec![scale; x.len()], lambda, law).ok()?;
    problem.settings.tolerance = CHECK_TOLERANCE * scale;
    Some(problem)
}

/// Sets the check's fields of every τ of `report` (a path solved on a quadrature of `params`);
/// `progress(done, total)` after each.
pub fn check_infinite_width(data: &Data, params: &ValidPathParams, report: &mut PathReport, mut progress: impl FnMut(usize, usize)) {
    if !applies(params) {
        return;
    }
    let (x, index) = groups(&data.x);
    let Some(problem) = check_problem(&x, &data.y, params.lambda(), params.law()) else { return };
    let total = report.path.len();
    for (k, r) in report.path.iter_mut().enumerate() {
        check(&problem, &index, &data.y, r.tau, &r.alpha).apply(r);
        progress(k + 1, total);
    }
}

#[cfg(test)]
mod tests {
    use super::groups;

    #[test]
    fn groups_by_abscissa() {
        let (x, index) = groups(&[0.5, -1.0, 0.5, 2.0]);
        assert_eq!(x, vec![0.5, -1.0, 2.0]);
        assert_eq!(index, vec![0, 1, 0, 2]);
    }
}
