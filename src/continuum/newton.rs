//! Newton's method on the concave infinite-width dual (MATH §6, §11) and its certificate.
//!
//! Step: `(J + λI) Δ = ∇D = y − λα − f_α(X)`, `J` from [`Continuum::jacobian`] (interior and
//! tie-curve terms) or, as a check, by central differences of `f_α(X)`. The step is cut to stay
//! inside the domain (`sup g_α < 2`, [`domain_limit`]) — or, when it would only crawl along the
//! domain's edge, damped (Levenberg–Marquardt) until it stays well inside — and halved until `D`
//! rises (Armijo), or the residual falls while `D` stays within its integration error. Stops when
//! `max_i |∇D_i| ≤ residual_tol · max(1, max|y|)`, or when the residual is within a few times
//! the integration's own error of `f_α(X)` and stops decreasing.
//!
//! Certificate (λ = 0): the pushed-forward measure `(θ*_α)_# τ²ν0` has primal value
//! `P = τ² ∫ |θ* − t|² dν0` and misses the data by the residual; `P − D = ⟨α, f_α(X) − y⟩`
//! (λ > 0: `|f_α(X) − y + λα|²/2λ`), each up to the integration error.

use super::problem::{Continuum, Evaluation};
use crate::dual::direction::domain_limit;
use crate::numeric::linalg::cholesky_solve;
use ndarray::Array2;

/// Wall time of a solve: natively `std::time::Instant`; wasm32's std has no clock (its
/// `Instant::now` panics), so there a solve reports 0 s and the caller times it.
#[derive(Clone, Copy)]
struct Stopwatch(#[cfg(not(target_arch = "wasm32"))] std::time::Instant);

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch(
            #[cfg(not(target_arch = "wasm32"))]
            std::time::Instant::now(),
        )
    }

    fn seconds(&self) -> f64 {
        #[cfg(not(target_arch = "wasm32"))]
        return self.0.elapsed().as_secs_f64();
        #[cfg(target_arch = "wasm32")]
        return 0.0;
    }
}

/// How the Jacobian is formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JacobianKind {
    /// Interior curvature + tie-curve terms, from the same integration.
    Analytic,
    /// Central differences of `f_α(X)` (`2n` extra integrations).
    FiniteDifference,
}

/// Newton's settings.
#[derive(Debug, Clone, Copy)]
pub struct ContinuumSettings {
    /// Converged when the residual is at most this times `max(1, max|y|)`.
    pub residual_tol: f64,
    /// Cap on Newton iterations per τ.
    pub max_iterations: usize,
    /// The Jacobian.
    pub jacobian: JacobianKind,
}

/// A τ counts as certified when its relative gap is at most this…
pub const CERTIFIED_GAP: f64 = 1e-4;
/// …and its residual (or, when larger, the residual rounding α alone can cause:
/// [`conditioning_floor`]) and the integration's error of `f(X)` at most this times
/// `max(1, max|y|)`: a tenth of the accuracy the lab promises (1e-3), the integration's
/// default tolerance ([`super::problem::DEFAULT_TOLERANCE`]) ten times below it again.
pub const CERTIFIED_RESIDUAL: f64 = 1e-4;

impl Default for ContinuumSettings {
    /// Newton aims at a residual of 1e-5·max(1, max|y|), the integration's tolerance: below it
    /// the residual is the integration's noise ([`NOISE_FLOOR`]).
    fn default() -> ContinuumSettings {
        ContinuumSettings { residual_tol: 1e-5, max_iterations: 40, jacobian: JacobianKind::Analytic }
    }
}

/// The solution at one τ with its certificate.
#[derive(Debug, Clone)]
pub struct ContinuumSolution {
    /// The final evaluation (its `α`, `D`, `f_α(X)`, cost, errors, panels).
    pub eval: Evaluation,
    /// Newton iterations.
    pub iterations: usize,
    /// Integrations spent (line search and finite differences included).
    pub evaluations: usize,
    /// `max_i |f_α(x_i) − y_i + λα_i|`.
    pub residual: f64,
    /// The residual that rounding `α` to doubles alone can cause ([`conditioning_floor`]).
    pub residual_floor: f64,
    /// Primal value `P` of the pushed-forward measure.
    pub primal: f64,
    /// `D(α)`.
    pub dual: f64,
    /// `P − D` (λ = 0: `⟨α, f_α(X) − y⟩`).
    pub gap: f64,
    /// Estimated integration error of `f_α(X)` (max over the data).
    pub integration_error: f64,
    /// Estimated integration error of `D`.
    pub dual_error: f64,
    /// The residual met `residual_tol`.
    pub converged: bool,
    /// Wall time of the solve (0 on wasm32).
    pub seconds: f64,
}

/// A point in the domain on the segment from 0 to `alpha`, evaluated.
fn inside(problem: &Continuum, tau: f64, alpha: &[f64], count: &mut usize) -> Evaluation {
    let mut scale = 1.0;
    for _ in 0..60 {
        let a: Vec<f64> = alpha.iter().map(|v| v * scale).collect();
        *count += 1;
        if let Some(e) = problem.evaluate(tau, &a) {
            return e;
        }
        scale *= 0.5;
    }
    *count += 1;
    problem.evaluate(tau, &vec![0.0; alpha.len()]).expect("α = 0 is inside the domain")
}

/// `J` by central differences of `f_α(X)`.
fn fd_jacobian(problem: &Continuum, eval: &Evaluation, count: &mut usize) -> Array2<f64> {
    let n = eval.alpha.len();
    let scale = eval.alpha.iter().fold(0.0f64, |m, a| m.max(a.abs())).max(1e-3 / (eval.tau * eval.tau).max(1.0));
    let h = 1e-5 * scale;
    let mut j = Array2::<f64>::zeros((n, n));
    for l in 0..n {
        let mut ap = eval.alpha.clone();
        ap[l] += h;
        let mut am = eval.alpha.clone();
        am[l] -= h;
        *count += 2;
        let (Some(fp), Some(fm)) = (problem.evaluate(eval.tau, &ap), problem.evaluate(eval.tau, &am)) else { return problem.jacobian(eval) };
        for i in 0..n {
            j[[i, l]] = (fp.fit[i] - fm.fit[i]) / (2.0 * h);
        }
    }
    // Symmetrize (J is symmetric; the differences are not exactly).
    let jt = j.t().to_owned();
    (j + jt) * 0.5
}

/// `H = J + λI`, the negated Hessian of `D`, from `J`.
fn plus_lambda(problem: &Continuum, mut j: Array2<f64>) -> Array2<f64> {
    for i in 0..j.nrows() {
        j[[i, i]] += problem.lambda;
    }
    j
}

/// `ε · max_i Σ_l |H_il| |α_l|` for `H = J + λI`: how far the gradient `y − λα − f_α(X)` can move
/// when each `α_l` moves by one ulp — the least residual a double-precision `α` can be sure to
/// reach. Near the domain's edge `J` is huge: on random-10 at τ = 0.01 (`α` ~ 2·10⁴) a relative
/// change of 1e-14 in `α` moved `f_α(X)` by 3e-3, and Newton's residual wandered between 3e-6 and
/// 2e-5 for 40 steps (with a Jacobian by differences too), while the integration itself agreed
/// with a 1 000 times finer one to 8e-7.
pub fn conditioning_floor(h: &Array2<f64>, alpha: &[f64]) -> f64 {
    (0..alpha.len()).map(|i| alpha.iter().enumerate().map(|(l, a)| (h[[i, l]] * a).abs()).sum::<f64>()).fold(0.0, f64::max) * f64::EPSILON
}

/// A residual within this factor of the integration's error estimate of `f_α(X)` ends the
/// solve: below it, steps only move the residual around inside the integration's noise.
const NOISE_FLOOR: f64 = 4.0;

/// The stall rule applies within this factor of the integration's error estimate of `f_α(X)`
/// (plus the residual target): three slow steps far above the noise are a walk along the
/// domain's edge, not the noise floor. At a thousand, with the integration's default tolerance,
/// it stopped smooth-30 at τ = 1 and 3.2 with residuals 3e-3 and 7e-3·max|y|.
const STALL_LEVEL: f64 = 10.0;

/// Damping of the Newton system `(H + μ·mean|diag H|·I) Δ = ∇D`, tried in this order until `H`
/// factorizes.
const DAMPING: [f64; 5] = [0.0, 1e-12, 1e-9, 1e-6, 1e-3];
/// Levenberg–Marquardt damping of a step that would crawl (see [`CRAWL`]): `μ` is searched
/// (bisection in `log μ`, [`EDGE_SEARCH`] steps) between these bounds (times `mean|diag H|`).
const EDGE_DAMPING: (f64, f64) = (1e-6, 1e4);
/// A Newton step that meets the domain's edge within this fraction of its length would only
/// crawl along it: it is damped until its full length goes a quarter to half of the way to the
/// edge instead.
const CRAWL: f64 = 1e-5;
/// Bisection steps of the damping search.
const EDGE_SEARCH: usize = 24;

/// The step `Δ` of `(H + μ mean|diag H| I) Δ = g` and how far along it the domain ends
/// ([`domain_limit`], in units of `Δ`): the least damping of [`DAMPING`] that factorizes; when
/// that step meets the edge within [`CRAWL`] of its length, the least damping (searched in
/// [`EDGE_DAMPING`]) whose full step ends at most half way to the edge (if none does, the
/// undamped step, which the caller cuts half way).
fn damped_step(problem: &Continuum, h: &Array2<f64>, g: &[f64], alpha: &[f64], mean_diag: f64) -> (Vec<f64>, f64) {
    let n = g.len();
    let solve = |mu: f64| {
        let mut m = h.clone();
        for i in 0..n {
            m[[i, i]] += mu * mean_diag.max(f64::MIN_POSITIVE);
        }
        cholesky_solve(&m, g)
    };
    let limit_of = |d: &[f64]| domain_limit(&problem.sectors, &problem.x, alpha, d);
    let delta = DAMPING.iter().find_map(|&mu| solve(mu)).unwrap_or_else(|| g.to_vec());
    let limit = limit_of(&delta);
    if !(limit < CRAWL) {
        return (delta, limit);
    }
    let inside = |mu: f64| solve(mu).map(|d| (limit_of(&d), d)).filter(|(l, _)| *l >= 2.0);
    let Some(mut best) = inside(EDGE_DAMPING.1) else { return (delta, limit) };
    let (mut lo, mut hi) = (libm::log(EDGE_DAMPING.0), libm::log(EDGE_DAMPING.1));
    for _ in 0..EDGE_SEARCH {
        if best.0 <= 4.0 {
            break;
        }
        let mid = 0.5 * (lo + hi);
        match inside(libm::exp(mid)) {
            Some(found) => {
                best = found;
                hi = mid;
            }
            None => lo = mid,
        }
    }
    (best.1, best.0)
}

/// Solves at τ from `alpha0` (pulled toward 0 until it is in the domain).
pub fn solve(problem: &Continuum, tau: f64, alpha0: &[f64], settings: ContinuumSettings) -> ContinuumSolution {
    let start = Stopwatch::start();
    let mut evaluations = 0;
    let eval = inside(problem, tau, alpha0, &mut evaluations);
    solve_from(problem, eval, settings, evaluations, start)
}

fn solve_from(problem: &Continuum, mut eval: Evaluation, settings: ContinuumSettings, mut evaluations: usize, start: Stopwatch) -> ContinuumSolution {
    let n = problem.x.len();
    let tol = settings.residual_tol * problem.scale_y();
    let mut iterations = 0;
    let mut stalls = 0;
    let mut converged = false;
    while iterations < settings.max_iterations {
        let g = eval.gradient(problem);
        let r = eval.residual(problem);
        if r <= tol {
            converged = true;
            break;
        }
        // Within a few times the integration's own error of `f_α(X)` the residual is noise: it
        // bounced between 1e-8 and 8e-8 for 30 steps on random-10 at τ = 3.2 (error 5e-8).
        if r <= NOISE_FLOOR * eval.max_fit_error() {
            break;
        }
        let j = plus_lambda(problem, match settings.jacobian {
            JacobianKind::Analytic => problem.jacobian(&eval),
            JacobianKind::FiniteDifference => fd_jacobian(problem, &eval, &mut evaluations),
        });
        // After one step at least: the floor bounds what rounding can do, it is not a
        // prediction, and a first Newton step may still land below it.
        if iterations > 0 && r <= conditioning_floor(&j, &eval.alpha) {
            break;
        }
        iterations += 1;
        let mean_diag = (0..n).map(|i| j[[i, i]].abs()).sum::<f64>() / n as f64;
        let (delta, limit) = damped_step(problem, &j, &g, &eval.alpha, mean_diag);
        // A step that would leave the domain goes half way to its edge: the next Newton step
        // then has room (at 0.99 of the way, measured, the iterates crawled along the edge with
        // steps of 1e-7 and the solve stopped with a residual 15 × max|y|).
        let mut step = if limit.is_finite() && limit < 1.0 { 0.5 * limit } else { 1.0 };
        let slope: f64 = g.iter().zip(&delta).map(|(a, b)| a * b).sum();
        let mut accepted = None;
        for _ in 0..40 {
            let alpha: Vec<f64> = eval.alpha.iter().zip(&delta).map(|(a, d)| a + step * d).collect();
            evaluations += 1;
            if let Some(e) = problem.evaluate(eval.tau, &alpha) {
                let noise = e.value_error + eval.value_error + e.round_off + eval.round_off;
                let rises = e.value >= eval.value + 1e-4 * step * slope;
                let calmer = e.residual(problem) < r && e.value >= eval.value - noise;
                if rises || calmer {
                    accepted = Some(e);
                    break;
                }
            }
            step *= 0.5;
        }
        match accepted {
            Some(e) => {
                let before = r;
                eval = e;
                // At the integration's error level (the adaptive rule's panels change with α, so
                // f_α(X) is only continuous to that level) the residual stops falling: stop
                // after three steps that do not remove a tenth of it.
                // Far above that level (more than `STALL_LEVEL` times the error estimate) a
                // slow step is a walk along the domain's edge, not the noise floor: go on.
                let after = eval.residual(problem);
                let floor = STALL_LEVEL * eval.max_fit_error() + tol;
                if after > 0.9 * before && after <= floor {
                    stalls += 1;
                    if stalls >= 3 {
                        break;
                    }
                } else {
                    stalls = 0;
                }
            }
            None => break,
        }
    }
    let residual = eval.residual(problem);
    let residual_floor = conditioning_floor(&plus_lambda(problem, problem.jacobian(&eval)), &eval.alpha);
    let fit_minus_y: Vec<f64> = (0..n).map(|i| eval.fit[i] - problem.y[i]).collect();
    let gap = if problem.lambda > 0.0 {
        (0..n).map(|i| (fit_minus_y[i] + problem.lambda * eval.alpha[i]).powi(2)).sum::<f64>() / (2.0 * problem.lambda)
    } else {
        eval.alpha.iter().zip(&fit_minus_y).map(|(a, r)| a * r).sum()
    };
    let fit_term = if problem.lambda > 0.0 { fit_minus_y.iter().map(|r| r * r).sum::<f64>() / (2.0 * problem.lambda) } else { 0.0 };
    ContinuumSolution {
        iterations,
        evaluations,
        residual,
        residual_floor,
        primal: eval.cost + fit_term,
        dual: eval.value,
        gap,
        integration_error: eval.max_fit_error(),
        dual_error: eval.value_error,
        converged,
        seconds: start.seconds(),
        eval,
    }
}

/// The largest τ of a path's walk: its first solve starts from α = 0 there.
const START_TAU: f64 = 1e3;

/// The largest step of the walk, in decades of τ.
const STEP_DECADES: f64 = 0.25;

/// Solves every τ of `taus`, from the largest down, each warm-started from the previous
/// solutions (the previous `α` rescaled by `(τ_prev/τ)²`, exact in the kernel regime, or the
/// linear extrapolation in τ through the last two; the one with the larger `D`). Returned in
/// the order of `taus`. The path walks in from `START_TAU` and between the τ's asked for in
/// steps of at most `STEP_DECADES` (a cold start far from the kernel end, or a long jump,
/// can leave Newton crawling along the domain's edge).
pub fn solve_path(problem: &Continuum, taus: &[f64], settings: ContinuumSettings) -> Vec<ContinuumSolution> {
    let mut order: Vec<usize> = (0..taus.len()).collect();
    order.sort_by(|&a, &b| taus[b].total_cmp(&taus[a]));
    // The walk: from the kernel end (at least START_TAU, where D is nearly quadratic and Newton
    // from α = 0 converges at once) down, with steps of at most STEP_DECADES; the τ's not asked
    // for only serve as warm starts (`None`).
    let mut walk: Vec<(f64, Option<usize>)> = Vec::new();
    let mut last = f64::INFINITY;
    for &q in &order {
        let tau = taus[q];
        let from = if last.is_finite() { last } else { tau.max(START_TAU) };
        let steps = (libm::log10(from / tau) / STEP_DECADES).ceil().max(0.0) as usize;
        for k in 0..steps {
            walk.push((from * libm::pow(10.0, -STEP_DECADES * k as f64 * libm::log10(from / tau) / (steps as f64 * STEP_DECADES)), None));
        }
        if walk.last().is_some_and(|w| w.0 == tau) {
            walk.pop();
        }
        walk.push((tau, Some(q)));
        last = tau;
    }
    let n = problem.x.len();
    let mut out: Vec<Option<ContinuumSolution>> = vec![None; taus.len()];
    let mut warm: Vec<(f64, Vec<f64>)> = Vec::new();
    for &(tau, slot) in &walk {
        if slot.is_none() && warm.first().is_some_and(|w| w.0 == tau) {
            continue;
        }
        let start = Stopwatch::start();
        let mut evaluations = 0;
        let eval = match warm.as_slice() {
            [] => inside(problem, tau, &vec![0.0; n], &mut evaluations),
            [(t1, a1), rest @ ..] => {
                let mut candidates = vec![a1.iter().map(|a| a * (t1 / tau).powi(2)).collect::<Vec<f64>>()];
                if let Some((t2, a2)) = rest.first() {
                    let s = (tau - t1) / (t1 - t2);
                    candidates.push(a1.iter().zip(a2).map(|(x1, x2)| x1 + s * (x1 - x2)).collect());
                }
                let mut best: Option<Evaluation> = None;
                for c in &candidates {
                    evaluations += 1;
                    if let Some(e) = problem.evaluate(tau, c) {
                        if best.as_ref().is_none_or(|b| e.value > b.value) {
                            best = Some(e);
                        }
                    }
                }
                best.unwrap_or_else(|| inside(problem, tau, a1, &mut evaluations))
            }
        };
        let sol = solve_from(problem, eval, settings, evaluations, start);
        warm.insert(0, (tau, sol.eval.alpha.clone()));
        warm.truncate(2);
        if let Some(q) = slot {
            out[q] = Some(sol);
        }
    }
    out.into_iter().flatten().collect()
}
