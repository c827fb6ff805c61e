//! Solving the scaling-path problem at one τ, with its certificate (MATH §6–7):
//! damped Newton on the dual until it converges or stalls at a kink ([`crate::newton`]), then
//! rounds of exact recovery (share LP) and tie-system Newton steps ([`crate::recovery`]) until
//! the relative duality gap reaches `aim_relative_gap`. The best certificate seen is returned.

use crate::dual::{DualEval, DualProblem};
use crate::newton::{NewtonSettings, ascend};
use crate::bundle::{ambiguous, model_step};
use crate::recovery::{Recovered, recover};

/// Accuracy targets and caps.
#[derive(Debug, Clone, Copy)]
pub struct SolverSettings {
    /// Stop refining once `(P − D)/|P|` is below this.
    pub aim_relative_gap: f64,
    /// Certified when `(P − D)/|P|` is at most this…
    pub certify_relative_gap: f64,
    /// …and `max_i |f(x_i) − y_i + λα_i| ≤ certify_residual · max(1, max|y|)`.
    pub certify_residual: f64,
    /// Newton iteration cap.
    pub max_newton: usize,
    /// Recovery round cap.
    pub max_rounds: usize,
}

impl Default for SolverSettings {
    fn default() -> SolverSettings {
        SolverSettings {
            aim_relative_gap: 1e-10,
            certify_relative_gap: 1e-6,
            certify_residual: 1e-9,
            max_newton: 80,
            max_rounds: 30,
        }
    }
}

/// A certified solution at one τ.
#[derive(Debug, Clone)]
pub struct Solution {
    /// The dual point and its minimizers.
    pub eval: DualEval,
    /// The primal measure recovered at `eval.alpha`.
    pub measure: Recovered,
    /// `P − D`.
    pub gap: f64,
    /// `(P − D)/|P|` (0 when `P = 0`).
    pub relative_gap: f64,
    /// Newton iterations + recovery rounds.
    pub iterations: usize,
    /// Both targets met.
    pub certified: bool,
}

fn relative_gap(gap: f64, primal: f64) -> f64 {
    if primal.abs() > 0.0 { gap / primal.abs() } else if gap == 0.0 { 0.0 } else { gap.signum() * f64::INFINITY }
}

/// A point in the domain on the segment from 0 to `alpha` (0 is always inside).
fn inside(problem: &DualProblem, alpha: &[f64]) -> DualEval {
    let mut scale = 1.0;
    for _ in 0..60 {
        let a: Vec<f64> = alpha.iter().map(|v| v * scale).collect();
        let e = problem.evaluate(&a);
        if e.value.is_finite() {
            return e;
        }
        scale *= 0.5;
    }
    problem.evaluate(&vec![0.0; alpha.len()])
}

/// Solves the problem from the dual starting point `alpha0`.
pub fn solve(problem: &DualProblem, alpha0: &[f64], settings: SolverSettings) -> Solution {
    let scale_y = problem.y.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let residual_tol = settings.certify_residual * scale_y;
    let start = inside(problem, alpha0);
    let ascent = ascend(
        problem,
        start,
        NewtonSettings { gradient_tol: 1e-13 * scale_y, min_step: 1e-6, max_iterations: settings.max_newton },
    );
    let mut eval = ascent.eval;
    let mut iterations = ascent.iterations;
    let mut best: Option<Solution> = None;
    // Rounds: model steps until they stop improving D, then one exact recovery; repeat if the
    // certificate is not yet at the aim (with a wider net of ambiguous pieces).
    let mut width = MODEL_DELTA;
    for _ in 0..settings.max_rounds {
        for _ in 0..settings.max_rounds {
            let amb = ambiguous(problem, &eval, width);
            if amb.is_empty() {
                break;
            }
            let Some(step) = model_step(problem, &eval, amb) else { break };
            iterations += 1;
            match improve(problem, &eval, &step) {
                Some(e) => {
                    let moved = step.iter().zip(&eval.alpha).fold(0.0f64, |m, (d, a)| m.max(d.abs() / (1e-300 + a.abs())));
                    eval = e;
                    if moved < 1e-13 {
                        break;
                    }
                }
                None => break,
            }
        }
        let measure = recover(problem, &eval);
        let gap = measure.primal - eval.value;
        let rel = relative_gap(gap, measure.primal);
        if std::env::var("SP_DEBUG").is_ok() {
            eprintln!("round: D {:.15e} P {:.15e} rel {rel:.3e} res {:.3e} split {}", eval.value, measure.primal, measure.residual, measure.split_sources);
        }
        let certified = rel <= settings.certify_relative_gap && measure.residual <= residual_tol;
        let done = rel <= settings.aim_relative_gap && measure.residual <= residual_tol;
        let candidate = Solution { eval: eval.clone(), measure, gap, relative_gap: rel, iterations, certified };
        if best.as_ref().is_none_or(|b| better(&candidate, b, residual_tol)) {
            best = Some(candidate);
        }
        if done || width >= 1e-1 {
            break;
        }
        width *= 10.0;
    }
    let mut best = best.expect("at least one recovery round");
    best.iterations = iterations;
    best
}

/// Relative width of the net of ambiguous pieces for the model step.
const MODEL_DELTA: f64 = 1e-3;

/// `eval.alpha + t·step` for the largest `t ∈ {1, ½, ¼, …}` that stays in the domain and does
/// not decrease `D` (a step toward the maximizer of a concave function never does).
fn improve(problem: &DualProblem, eval: &DualEval, step: &[f64]) -> Option<DualEval> {
    let mut t = 1.0;
    for _ in 0..12 {
        let trial: Vec<f64> = eval.alpha.iter().zip(step).map(|(a, d)| a + t * d).collect();
        let e = problem.evaluate(&trial);
        if e.value.is_finite() && e.value >= eval.value - 1e-15 * eval.value.abs() {
            return Some(e);
        }
        t *= 0.5;
    }
    None
}

/// Prefer residual within tolerance, then the smaller relative gap.
fn better(a: &Solution, b: &Solution, residual_tol: f64) -> bool {
    let ok_a = a.measure.residual <= residual_tol;
    let ok_b = b.measure.residual <= residual_tol;
    match (ok_a, ok_b) {
        (true, false) => true,
        (false, true) => false,
        (true, true) => a.relative_gap.abs() < b.relative_gap.abs(),
        (false, false) => a.measure.residual < b.measure.residual,
    }
}
