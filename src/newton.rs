//! Dual ascent by damped Newton (MATH §6): from `α`, step `Δ = (J + λI + μI)⁻¹ ∇D(α)` with
//! backtracking until `D` increases sufficiently (Armijo) inside the domain
//! `sup G_α < 1`. `D` is concave but only piecewise smooth: at its maximizer a few directions
//! are tied between minimizers, and Newton stalls there (the step keeps being cut). It stops on
//! a small gradient, on such a stall, or on its iteration cap; [`crate::recovery`] takes over.

use crate::dual::{DualEval, DualProblem};
use crate::linalg::cholesky_solve;
use ndarray::Array2;

/// Why the ascent stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// `|∇D|∞` below the tolerance: `D` is smooth at its maximizer.
    Converged,
    /// The line search had to cut the step below `min_step` (a kink).
    Stalled,
    /// Iteration cap.
    MaxIterations,
}

/// Settings of the ascent.
#[derive(Debug, Clone, Copy)]
pub struct NewtonSettings {
    /// Stop when `|∇D|∞ ≤ gradient_tol`.
    pub gradient_tol: f64,
    /// Stop when the accepted step is shorter than this fraction of the Newton step.
    pub min_step: f64,
    /// Iteration cap.
    pub max_iterations: usize,
}

/// Result of the ascent.
#[derive(Debug, Clone)]
pub struct Ascent {
    /// The last (best) point.
    pub eval: DualEval,
    /// Iterations done.
    pub iterations: usize,
    /// Why it stopped.
    pub stop: Stop,
}

/// `(J + λI + μI)⁻¹ g`, raising `μ` from 0 until the factorization succeeds.
pub fn newton_direction(j: &Array2<f64>, lambda: f64, g: &[f64]) -> Vec<f64> {
    let n = g.len();
    let trace: f64 = (0..n).map(|i| j[[i, i]]).sum::<f64>() + n as f64 * lambda;
    let base = (trace / n as f64).max(f64::MIN_POSITIVE);
    let mut mu = 0.0;
    loop {
        let mut h = j.clone();
        for i in 0..n {
            h[[i, i]] += lambda + mu;
        }
        if let Some(d) = cholesky_solve(&h, g) {
            if d.iter().all(|v| v.is_finite()) {
                return d;
            }
        }
        mu = if mu == 0.0 { 1e-12 * base } else { mu * 10.0 };
        if mu > 1e6 * base {
            // Gradient ascent as a last resort.
            return g.iter().map(|v| v / base).collect();
        }
    }
}

/// `max(1, max|y|)`.
fn scale_of(problem: &DualProblem) -> f64 {
    problem.y.iter().fold(1.0f64, |m, v| m.max(v.abs()))
}

/// Maximizes `D` from `start` (which must lie in the domain).
pub fn ascend(problem: &DualProblem, start: DualEval, settings: NewtonSettings) -> Ascent {
    let mut eval = start;
    let mut last_gmax = f64::INFINITY;
    for it in 0..settings.max_iterations {
        let g = eval.gradient(problem);
        let gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        // Converged: small gradient, or (once D no longer resolves the steps) a gradient that
        // stopped shrinking — the round-off floor of f(X).
        if gmax <= settings.gradient_tol || (gmax >= 0.5 * last_gmax && gmax <= 1e-8 * scale_of(problem)) {
            return Ascent { eval, iterations: it, stop: Stop::Converged };
        }
        last_gmax = gmax;
        let j = problem.jacobian(&eval);
        let d = newton_direction(&j, problem.lambda, &g);
        let slope: f64 = g.iter().zip(&d).map(|(a, b)| a * b).sum();
        let mut step = 1.0;
        let mut accepted = None;
        while step >= settings.min_step {
            let trial: Vec<f64> = eval.alpha.iter().zip(&d).map(|(a, b)| a + step * b).collect();
            let e = problem.evaluate(&trial);
            // When the predicted increase is below D's round-off, D cannot judge the step:
            // accept the (full) Newton step if it stays in the domain.
            let unresolvable = slope <= 1e-10 * eval.value.abs();
            if e.value.is_finite() && (unresolvable || e.value >= eval.value + 1e-4 * step * slope) {
                accepted = Some(e);
                break;
            }
            step *= 0.25;
        }
        if std::env::var("SP_DEBUG").is_ok() {
            eprintln!("newton it {it}: D {:.15e} |g| {gmax:.3e} step {step:e} slope {slope:.3e}", eval.value);
        }
        match accepted {
            Some(e) => eval = e,
            None => return Ascent { eval, iterations: it + 1, stop: Stop::Stalled },
        }
        if step < 1.0 / 64.0 {
            return Ascent { eval, iterations: it + 1, stop: Stop::Stalled };
        }
    }
    Ascent { eval, iterations: settings.max_iterations, stop: Stop::MaxIterations }
}
