//! Solving the scaling-path problem at one τ, with its certificate (MATH §6–7). One algorithm
//! in four files, called from [`solve_from`] here:
//!
//! 1. **Ascent** ([`ascent`]): a trust-region ascent of the concave dual `D` (Levenberg–Marquardt
//!    damping, a line search, a trust radius). Each step maximizes the dual's
//!    **local model** ([`local_model`]): the damped Newton model of the smooth part plus the
//!    exact piecewise structure of the *ambiguous* sources (those with several nearly tied
//!    pieces), whose maximizer a small active-set QP over the shares gives; it also finds the
//!    net of ambiguous sources and their tie distances.
//! 2. **Recovery** ([`recovery`]): at the ascent's `α`, every source goes to its minimizer except
//!    the ambiguous ones, whose shares solve a linear program — the **share LP**
//!    ([`share_lp`], a simplex with the one-key-per-source structure exploited; the dense
//!    [`crate::numeric::lp`] is its fallback) — refined to interpolate to round-off, first over
//!    the split structure the local model converged to, then over wider nets.
//! 3. **Polish** (`polish`, here): when the recovered measure's residual just misses the
//!    certificate, one step of the local model on the recovered split structure, then the
//!    recovery again.
//!
//! Once the ascent's steps are small, it asks for the cheap part of the recovery after each
//! one (its `finish` callback) and stops as soon as that measure is well inside the
//! certificate. If the certificate (the duality gap `P − D` of the recovered measure,
//! [`duality_gap`], and its interpolation residual) is not yet at the aim, the ascent resumes
//! with a wider net of ambiguous pieces. The best certificate seen is returned. The path
//! ([`crate::path`]) calls [`solve`] / [`solve_from`] once per τ, warm-started.

pub mod ascent;
pub mod local_model;
pub mod recovery;
pub mod share_lp;

use crate::dual::geometry::{ChoiceIn, Geometry};
use crate::dual::{DualEval, DualProblem};
use crate::network::geometry::Sectors;
use crate::solver::ascent::{AscentSettings, Stop, ascend};
use crate::solver::local_model::LocalModel;
use crate::solver::recovery::{Recovered, recover, recover_on_hint};

/// Accuracy targets and caps.
#[derive(Debug, Clone, Copy)]
pub struct SolverSettings {
    /// Stop refining once `(P − D)/|P|` is below this.
    pub aim_relative_gap: f64,
    /// Certified when `(P − D)/|P|` is at most this…
    pub certify_relative_gap: f64,
    /// …and `max_i |f(x_i) − y_i + λα_i| ≤ certify_residual · max(1, max|y|)`, or within the
    /// round-off of evaluating `f(x_i)` ([`residual_floor`]), whichever is larger.
    pub certify_residual: f64,
    /// Cap on trial steps of the ascent.
    pub max_iterations: usize,
    /// The solution only serves as a warm start: stop after the first ascent that converges,
    /// certified or not (the later rounds, with a wider net, serve the recovery).
    pub warm_start_only: bool,
    /// Stop at the first trial step after this time: the best measure so far is returned,
    /// uncertified if it misses a target. `None` (the default): no time limit, and the numbers
    /// depend on the inputs only.
    pub deadline: Option<Deadline>,
}

/// A point in time on the caller's clock. The solver has no clock of its own (the CLI passes
/// one built on `std::time::Instant`, the browser's bindings `Date.now`): a deadline only cuts
/// work short, and a solve cut short says so.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    /// Seconds since some fixed origin.
    pub clock: fn() -> f64,
    /// The deadline on that clock.
    pub at: f64,
}

impl Deadline {
    /// `seconds` from now on `clock`.
    pub fn after(clock: fn() -> f64, seconds: f64) -> Deadline {
        Deadline { clock, at: clock() + seconds }
    }

    /// Whether the deadline has passed.
    pub fn passed(&self) -> bool {
        (self.clock)() >= self.at
    }
}

impl Default for SolverSettings {
    fn default() -> SolverSettings {
        SolverSettings { aim_relative_gap: 1e-8, certify_relative_gap: 1e-6, certify_residual: 1e-9, max_iterations: 200, warm_start_only: false, deadline: None }
    }
}

/// A certified solution at one τ.
#[derive(Debug, Clone)]
pub struct Solution<G: Geometry = Sectors> {
    /// The dual point and its minimizers.
    pub eval: DualEval<G>,
    /// The primal measure recovered at `eval.alpha`.
    pub measure: Recovered<G>,
    /// `P − D`, computed without cancellation (see [`duality_gap`]).
    pub gap: f64,
    /// `(P − D)/|P|` (0 when `P = 0`).
    pub relative_gap: f64,
    /// Trial steps of the ascent.
    pub iterations: usize,
    /// Both targets met.
    pub certified: bool,
}

fn relative_gap(gap: f64, primal: f64) -> f64 {
    if primal.abs() > 0.0 { gap / primal.abs() } else if gap == 0.0 { 0.0 } else { gap.signum() * f64::INFINITY }
}

/// A point in the domain on the segment from 0 to `alpha` (0 is always inside).
pub(crate) fn inside<G: Geometry>(problem: &DualProblem<G>, alpha: &[f64]) -> DualEval<G> {
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

/// The duality gap `P(μ) − D(α)` of the measure recovered at `α`, written as a sum of
/// nonnegative slacks plus the residual term so that it is free of the cancellation between
/// `P` and `D` (both of order `τ²·(mass)` at large τ, where the gap is a tiny difference).
/// With `Q_pc = |θ_pc − θ_p|² − α·φ(θ_pc, X)` and `V_p = min_c Q_pc`:
///
/// `P − D = Σ_rows τ²ω_p s (Q_pc − V_p) + α·r` (λ = 0), or `… + |r|²/2λ` (λ > 0),
///
/// where `r = f(X) − y + λα` is the residual vector; algebraically identical to `P − D`.
pub fn duality_gap<G: Geometry>(problem: &DualProblem<G>, eval: &DualEval<G>, measure: &Recovered<G>) -> f64 {
    let tau2 = problem.tau * problem.tau;
    let slack: f64 = measure
        .rows
        .iter()
        .map(|r| tau2 * problem.weights[r.source] * r.share * (r.choice.value - eval.choices[r.source].value))
        .sum();
    let n = problem.n();
    let residual: Vec<f64> =
        (0..n).map(|i| measure.fit[i] - problem.y[i] + problem.lambda * eval.alpha[i]).collect();
    let tail = if problem.lambda > 0.0 {
        residual.iter().map(|r| r * r).sum::<f64>() / (2.0 * problem.lambda)
    } else {
        residual.iter().zip(&eval.alpha).map(|(r, a)| r * a).sum()
    };
    slack + tail
}

/// Floor of the ambiguity net for the model, relative to `|D|`.
const AMBIGUITY: f64 = 1e-6;

/// At most `AMBIGUOUS_PER_POINT · n + 40` ambiguous sources enter the model: the optimum
/// splits at most about `n` of them (MATH §7), and the model's cost grows with their number.
const AMBIGUOUS_PER_POINT: usize = 10;

/// …and never more than this many (the model's KKT systems grow with them).
const MAX_AMBIGUOUS: usize = 600;

/// The ascent asks for a recovery ([`crate::solver::ascent::ascend`]'s `finish`) after an undamped
/// step that removed an interpolation residual of at most this (relative to `max(1, max|y|)`)…
const FINISH_BELOW: f64 = 1e-7;

/// …and stops there when the recovered measure's relative gap is at most this and its
/// residual at most `EARLY_RESIDUAL` times the certificate's: well inside the certificate, and
/// at the aim for the gap (1e-9).
const EARLY_RELATIVE_GAP: f64 = 1e-9;
const EARLY_RESIDUAL: f64 = 0.1;

/// Solves the problem from the dual starting point `alpha0` (pulled toward 0 until it is in
/// the domain).
pub fn solve<G: Geometry>(problem: &DualProblem<G>, alpha0: &[f64], settings: SolverSettings) -> Solution<G> {
    solve_from(problem, inside(problem, alpha0), settings)
}

/// Ulps of the terms' magnitude within which a residual is round-off ([`residual_floor`]).
const ROUNDOFF_ULPS: f64 = 16.0;

/// The round-off of evaluating `f(x_i) = τ² Σ_p ω_p φ(θ_p, x_i)`: `ROUNDOFF_ULPS · ε` times a
/// bound on the terms' magnitude, `τ² Σ_p ω_p |θ_p|² · max_i √(1 + x_i²) / 2` (from
/// `|a (w x + b)| ≤ |θ|² √(1 + x²)/2`, with the sources' norms: the neurons move little where this
/// matters, at large τ). Below it no measure can be shown to interpolate better: at τ = 1 000 it
/// is about 1e-8 for the Gaussian law on data in [−2, 2], where the default `1e-9 · max|y|` asks
/// for less than one ulp of the sum.
pub fn residual_floor<G: Geometry>(problem: &DualProblem<G>) -> f64 {
    let mass: f64 = problem.sources.iter().zip(&problem.weights).map(|(t, w)| w * G::norm2(*t)).sum();
    let reach = G::reach(&problem.x);
    ROUNDOFF_ULPS * f64::EPSILON * problem.tau * problem.tau * mass * reach / 2.0
}

/// Solves the problem from `start`, an evaluation of `D` in its domain.
pub fn solve_from<G: Geometry>(problem: &DualProblem<G>, start: DualEval<G>, settings: SolverSettings) -> Solution<G> {
    let scale_y = problem.y.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let residual_tol = (settings.certify_residual * scale_y).max(residual_floor(problem));
    let mut eval = start;
    let mut iterations = 0;
    let mut ambiguity = AMBIGUITY;
    let mut best: Option<Solution<G>> = None;
    loop {
        // A measure recovered during the ascent that already meets the early aim.
        let mut early: Option<Recovered<G>> = None;
        let mut finish = |e: &DualEval<G>, splits: &[(usize, Vec<G::Label>)]| {
            let (measure, _) = recover_on_hint(problem, e, splits);
            let rel = relative_gap(duality_gap(problem, e, &measure), measure.primal);
            let met = rel <= EARLY_RELATIVE_GAP && measure.residual <= EARLY_RESIDUAL * residual_tol;
            if met {
                early = Some(measure);
            }
            met
        };
        let ascent = ascend(
            problem,
            eval,
            AscentSettings {
                ambiguity,
                max_ambiguous: (AMBIGUOUS_PER_POINT * problem.n() + 40).min(MAX_AMBIGUOUS),
                // Later rounds (the certificate missed its aim) consider every piece.
                all_pieces: ambiguity > AMBIGUITY,
                max_iterations: settings.max_iterations - iterations,
                residual_tol: 1e-13 * scale_y,
                finish_below: FINISH_BELOW * scale_y,
                deadline: settings.deadline,
            },
            &mut finish,
        );
        eval = ascent.eval;
        iterations += ascent.iterations;
        let ascent_stop = ascent.stop;
        let mut measure = match early {
            Some(m) => m,
            None => recover(problem, &eval, &ascent.splits),
        };
        if measure.residual > residual_tol && measure.residual <= POLISH_BELOW * residual_tol {
            for _ in 0..POLISH_STEPS {
                let Some((e, polished)) = polish(problem, &eval, &measure) else { break };
                eval = e;
                measure = polished;
                if measure.residual <= residual_tol {
                    break;
                }
            }
        }
        let gap = duality_gap(problem, &eval, &measure);
        let rel = relative_gap(gap, measure.primal);
        let certified = rel <= settings.certify_relative_gap && measure.residual <= residual_tol;
        let done = rel <= settings.aim_relative_gap && measure.residual <= residual_tol;
        let candidate = Solution { eval: eval.clone(), measure, gap, relative_gap: rel, iterations, certified };
        let stop = done
            || ambiguity >= 1e-2
            || ascent_stop == Stop::Deadline
            || iterations >= settings.max_iterations
            || (settings.warm_start_only && ascent_stop == Stop::Converged);
        let keep = match best.take() {
            Some(b) if !better(&candidate, &b, residual_tol) => b,
            _ => candidate,
        };
        if stop {
            return Solution { iterations, ..keep };
        }
        best = Some(keep);
        ambiguity *= 10.0;
    }
}

/// A recovered measure whose residual misses the certificate by at most this factor is
/// polished ([`polish`]) before the solver widens its net…
const POLISH_BELOW: f64 = 1e3;

/// …by at most this many steps, each kept only if it lowers the residual.
const POLISH_STEPS: usize = 4;

/// One step of the local model (MATH §6–7) — undamped unless its KKT system is singular —
/// whose net is the split structure of the
/// recovered `measure` — its split sources, each with the pieces it uses (best first) — then
/// the measure recovered again there; returned only if its residual is smaller.
///
/// At the optimum the split sources' pieces are exactly tied and the shares make the fit
/// interpolate; the step solves the model's KKT system for `Δ` and the shares with that structure
/// fixed (the fit equations and the ties linearized at `α`), a Newton step on those equations. The
/// ascent stops on the residual of its own model, whose net and regularized shares need not be the
/// recovered ones: on nearly coincident abscissas the share LP can leave a residual just above the
/// certificate's in every round, which one polish step (two damped ones where the undamped system
/// is singular) removes (measured: docs/SOLVER.md, "Measured choices").
fn polish<G: Geometry>(problem: &DualProblem<G>, eval: &DualEval<G>, measure: &Recovered<G>) -> Option<(DualEval<G>, Recovered<G>)> {
    let mut net: Vec<(usize, Vec<ChoiceIn<G>>)> = Vec::new();
    for r in &measure.rows {
        match net.last_mut() {
            Some((p, pieces)) if *p == r.source => pieces.push(r.choice),
            _ => net.push((r.source, vec![r.choice])),
        }
    }
    net.retain(|(_, pieces)| pieces.len() > 1);
    if net.is_empty() {
        return None;
    }
    for (p, pieces) in net.iter_mut() {
        let best = eval.choices[*p];
        pieces.retain(|c| c.candidate != best.candidate);
        pieces.insert(0, best);
    }
    // Undamped; when that KKT system is singular (few active neurons near the rich end), with
    // a damping of 1e-12 then 1e-9 of J's mean diagonal.
    let model = LocalModel::new(problem, eval, &net);
    let step = [0.0, 1e-12, 1e-9].iter().find_map(|&mu| model.step(mu * model.mean_diagonal()))?;
    let alpha: Vec<f64> = eval.alpha.iter().zip(&step.delta).map(|(a, d)| a + d).collect();
    let e = problem.evaluate(&alpha);
    if !e.value.is_finite() {
        return None;
    }
    let polished = recover(problem, &e, &step.splits);
    (polished.residual < measure.residual).then_some((e, polished))
}

/// Prefer residual within tolerance, then the smaller relative gap.
fn better<G: Geometry>(a: &Solution<G>, b: &Solution<G>, residual_tol: f64) -> bool {
    let ok_a = a.measure.residual <= residual_tol;
    let ok_b = b.measure.residual <= residual_tol;
    match (ok_a, ok_b) {
        (true, false) => true,
        (false, true) => false,
        (true, true) => a.relative_gap.abs() < b.relative_gap.abs(),
        (false, false) => a.measure.residual < b.measure.residual,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::init::{InitialMeasure, Law, Width};

    /// A solve that only serves as a warm start stops after its first converged ascent, where a
    /// full solve widens its net round after round when the certificate is out of reach — here
    /// made unreachable (a relative gap below −1): both end at the same α's neighbourhood.
    #[test]
    fn a_warm_start_solve_stops_after_one_converged_ascent() {
        let x: Vec<f64> = (0..10).map(|i| -2.0 + 4.0 * i as f64 / 9.0).collect();
        let y: Vec<f64> = x.iter().map(|&v| (1.5 * v).sin()).collect();
        let init = InitialMeasure::new(Law::Gaussian, true, Width::Directions(4096), &x).unwrap();
        let problem = DualProblem::new(&x, &y, 0.0, 1e4, &init);
        let unreachable = SolverSettings { aim_relative_gap: -1.0, certify_relative_gap: -1.0, ..SolverSettings::default() };
        let full = solve(&problem, &[0.0; 10], unreachable);
        let quick = solve(&problem, &[0.0; 10], SolverSettings { warm_start_only: true, ..unreachable });
        assert!(!full.certified, "a relative gap below −1 certified: {:e}", full.relative_gap);
        assert!(quick.iterations < full.iterations, "{} vs {}", quick.iterations, full.iterations);
        let scale = full.eval.alpha.iter().fold(0.0f64, |m, a| m.max(a.abs()));
        for (a, b) in quick.eval.alpha.iter().zip(&full.eval.alpha) {
            assert!((a - b).abs() <= 1e-6 * scale, "{a} vs {b}");
        }
    }

    /// At τ = 10⁴ the terms of `f(x_i)` are ~10⁸ times `max|y|`: the recovered measure's residual
    /// (~1e-9 here) is round-off, above `1e-9·max|y|` only by chance, and within the floor.
    #[test]
    fn near_the_kernel_end_a_residual_within_its_round_off_is_certified() {
        let x: Vec<f64> = (0..10).map(|i| -2.0 + 4.0 * i as f64 / 9.0).collect();
        let y: Vec<f64> = x.iter().map(|&v| (1.5 * v).sin()).collect();
        let init = InitialMeasure::new(Law::Gaussian, true, Width::Directions(4096), &x).unwrap();
        let problem = DualProblem::new(&x, &y, 0.0, 1e4, &init);
        let floor = residual_floor(&problem);
        assert!(floor > 1e-7, "the floor at τ = 10⁴: {floor:e}");
        let sol = solve(&problem, &[0.0; 10], SolverSettings::default());
        assert!(sol.certified && sol.measure.residual <= floor, "residual {:e}, gap {:e}", sol.measure.residual, sol.relative_gap);
    }

    /// The cancellation-free gap equals the plain `P − D` up to the round-off of `P` and `D`.
    #[test]
    fn stable_gap_matches_plain_difference() {
        let x = vec![-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];
        let y = vec![0.3, -0.4, 0.6, -0.1, 0.5, -0.3];
        for (tau, lambda) in [(0.3, 0.0), (1.0, 0.0), (3.0, 0.05)] {
            let init = InitialMeasure::new(Law::Gaussian, true, Width::Directions(1024), &x).unwrap();
            let problem = DualProblem::new(&x, &y, lambda, tau, &init);
            let sol = solve(&problem, &[0.0; 6], SolverSettings::default());
            let plain = sol.measure.primal - sol.eval.value;
            let scale = sol.measure.primal.abs().max(sol.eval.value.abs());
            assert!((sol.gap - plain).abs() <= 1e-12 * scale, "tau {tau}: {} vs {plain}", sol.gap);
            assert!(sol.certified, "tau {tau}: gap {:e}, residual {:e}", sol.relative_gap, sol.measure.residual);
        }
    }
}
