//! Dual ascent on the local model of [`crate::solver::local_model`] (MATH §6–7): model steps with a line
//! search and Levenberg–Marquardt damping.
//!
//! At `α` the model `m` — the damped Newton model of the smooth part plus the exact piecewise
//! structure of the ambiguous sources — gives the step `Δ(μ)` maximizing `m(Δ) − (μ/2)|Δ|²`,
//! capped at 95 % of the way to the edge of the domain (where `D → −∞`; less after steps so cut
//! short were rejected). The step is accepted when `D` gains at least a tenth of what `m`
//! predicts. A rejected step is first searched along (`D` is concave on the line): on
//! ill-conditioned problems the model's direction is good long before its length is (hundreds
//! of kinks it does not see lie along it), and damping would turn it toward the
//! well-conditioned directions only. Failing that, `μ` grows (it shrinks after good steps), and
//! a trust radius (half the last rejected step, growing after good ones) raises `μ` before a
//! step longer than it is tried. Near the optimum the model captures the kinks and the steps
//! converge quadratically. The ambiguous sources are those whose alternative pieces are within
//! reach: a tie distance of at most ten times the last step (or a floor).

use crate::dual::geometry::Geometry;
use crate::dual::{DualEval, DualProblem};
use crate::network::geometry::Sectors;
use crate::solver::local_model::{Alternatives, LocalModel, Step, TieBounds};

/// Why the ascent stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The model predicts no further gain (or the gradient is at its round-off floor).
    Converged,
    /// No step along which `D` behaves as predicted, even heavily damped.
    Stalled,
    /// Iteration cap.
    MaxIterations,
    /// The caller's deadline passed ([`crate::solver::Deadline`]).
    Deadline,
}

/// Settings of the ascent.
#[derive(Debug, Clone, Copy)]
pub struct AscentSettings {
    /// Floor of the tie distance of the ambiguous pieces, relative to `|α|` (see
    /// [`crate::solver::local_model::ambiguous`]).
    pub ambiguity: f64,
    /// At most this many ambiguous sources in the model.
    pub max_ambiguous: usize,
    /// Offer every valid piece as an alternative from the start (not only after a
    /// misprediction).
    pub all_pieces: bool,
    /// Trial steps allowed.
    pub max_iterations: usize,
    /// Converged once a step removes an interpolation residual below this (`max_i`).
    pub residual_tol: f64,
    /// After an undamped step that removes at most this residual, the caller's `finish` is
    /// asked whether the new point is good enough (see [`ascend`]).
    pub finish_below: f64,
    /// Stop before a trial step once this has passed.
    pub deadline: Option<super::Deadline>,
}

/// Result of the ascent.
#[derive(Debug, Clone)]
pub struct Ascent<G: Geometry = Sectors> {
    /// The last (best) point.
    pub eval: DualEval<G>,
    /// Trial steps evaluated.
    pub iterations: usize,
    /// Why it stopped.
    pub stop: Stop,
    /// The split structure of the last accepted model step: `(source, pieces)`.
    pub splits: Vec<(usize, Vec<G::Label>)>,
}

/// Largest widening of the ambiguity net after mispredicted steps.
const MAX_WIDEN: f64 = 1e4;

/// Whether two steps agree to round-off.
fn same_step(a: &[f64], b: &[f64]) -> bool {
    let scale = b.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    a.iter().zip(b).all(|(p, q)| (p - q).abs() <= 1e-9 * scale)
}

/// Largest fraction of the way to the domain's edge that a step may go.
const EDGE_FRACTION: f64 = 0.95;

/// …and the least it falls to after steps cut short at the edge were rejected.
const MIN_EDGE_FRACTION: f64 = 0.05;

/// At most this many damping raises (×4 each) to bring one model step within the trust radius.
const MAX_TRUST_RAISES: usize = 40;

/// Model steps predicting a loss (an unfinished active set) that one ascent damps and retries.
const MAX_FAILED_MODELS: usize = 8;

/// Damping (relative to the mean diagonal of `J + λI`) beyond which the ascent has stalled.
const STALL_DAMPING: f64 = 1e10;

/// Evaluations allowed in one line search.
const LINE_SEARCH_EVALUATIONS: usize = 12;

/// `D` is concave along the line `α + t·d`, with slope `φ'(t) = ∇D(α + t·d)·d`. Given the
/// rejected trial at `t = 1` (itself the answer if `D` still rises there), finds a
/// `t ∈ (0, 1)` whose slope has fallen to within a tenth of `φ'(0)` (an approximately exact
/// line search: then `max φ − φ(t) ≤ 0.1 φ'(0)`), by secant steps on the slope safeguarded by
/// bisection in `log t`. Returns the best point found with `D` above `D(α)` by more than the
/// noise. Its evaluations are not counted as trials of the ascent (at most
/// `LINE_SEARCH_EVALUATIONS` per trial).
fn line_search<G: Geometry>(problem: &DualProblem<G>, eval: &DualEval<G>, d: &[f64], at_one: &DualEval<G>) -> Option<(DualEval<G>, f64)> {
    let slope = |e: &DualEval<G>| e.gradient(problem).iter().zip(d).map(|(g, v)| g * v).sum::<f64>();
    let s0 = slope(eval);
    if !(s0 > 0.0) {
        return None;
    }
    let (mut lo, mut s_lo) = (0.0f64, s0);
    let (mut hi, mut s_hi) = (1.0f64, if at_one.value.is_finite() { slope(at_one) } else { f64::NEG_INFINITY });
    let noise = 10.0 * eval.noise;
    if s_hi >= 0.0 {
        // Still rising at the full step: it is the best point of the segment.
        return (at_one.value > eval.value + noise).then(|| (at_one.clone(), 1.0));
    }
    let mut best: Option<(DualEval<G>, f64)> = None;
    let mut evaluations = 0;
    while evaluations < LINE_SEARCH_EVALUATIONS {
        // Secant on the slope when both ends are finite, else a tenth of the way.
        let secant = if s_hi.is_finite() { lo + (hi - lo) * s_lo / (s_lo - s_hi) } else { f64::NAN };
        let geometric = if lo > 0.0 { (lo * hi).sqrt() } else { 0.1 * hi };
        let t = if secant.is_finite() && secant > lo + 0.01 * (hi - lo) && secant < hi - 0.01 * (hi - lo) { secant } else { geometric };
        let trial: Vec<f64> = eval.alpha.iter().zip(d).map(|(a, b)| a + t * b).collect();
        let e = problem.evaluate(&trial);
        evaluations += 1;
        if !e.value.is_finite() {
            hi = t;
            s_hi = f64::NEG_INFINITY;
            continue;
        }
        let s = slope(&e);
        let gain = e.value - eval.value;
        let flat = s.abs() <= 0.1 * s0;
        if gain > noise && best.as_ref().is_none_or(|b| e.value > b.0.value) {
            best = Some((e, t));
        }
        if flat {
            break;
        }
        if s > 0.0 {
            lo = t;
            s_lo = s;
        } else {
            hi = t;
            s_hi = s;
        }
    }
    best
}

/// The caller's test of a point of the ascent and its split structure ([`ascend`]).
pub type Finish<'a, G = Sectors> = dyn FnMut(&DualEval<G>, &[(usize, Vec<<G as Geometry>::Label>)]) -> bool + 'a;

/// Maximizes `D` from `start` (which must lie in the domain). After an accepted undamped step
/// that removed a residual of at most `settings.finish_below` (and ten times less than at the
/// last such question), `finish(point, splits)` is asked whether the caller is satisfied with
/// the new point — e.g. its recovered measure is certified — and if so the ascent stops there:
/// near the optimum the model's steps converge quadratically, so the next residual is far
/// below the one just removed, and the steps after it only chase round-off.
pub fn ascend<G: Geometry>(problem: &DualProblem<G>, start: DualEval<G>, settings: AscentSettings, finish: &mut Finish<'_, G>) -> Ascent<G> {
    let mut climb = Climb {
        problem,
        settings,
        finish,
        eval: start,
        splits: Vec::new(),
        it: 0,
        mu: 0.0,
        last_step: f64::INFINITY,
        widen: 1.0,
        last_residual: f64::INFINITY,
        model: None,
        ties: None,
        rejected: None,
        travelled: 0.0,
        trust: f64::INFINITY,
        edge: EDGE_FRACTION,
        raises: 0,
        failed_models: 0,
        asked_at: f64::INFINITY,
    };
    while climb.it < settings.max_iterations {
        if settings.deadline.is_some_and(|d| d.passed()) {
            return climb.stopped(Stop::Deadline);
        }
        if climb.model.is_none() {
            climb.build_model();
        }
        if let Some(stop) = climb.trial() {
            return climb.stopped(stop);
        }
    }
    climb.stopped(Stop::MaxIterations)
}

/// What a model step proposes, before `D` judges it.
struct Proposal<L> {
    /// The step (capped toward the domain's edge).
    d: Vec<f64>,
    /// Its split structure.
    splits: Vec<(usize, Vec<L>)>,
    /// `max_i` of the interpolation residual the step removes.
    model_residual: f64,
    /// `|Δ|`.
    length: f64,
    /// The model's predicted gain of `D`.
    predicted: f64,
    /// The step was cut short at the domain's edge.
    capped: bool,
    /// The trust radius (not damping left from before) shortened it.
    limited: bool,
}

/// The state of one [`ascend`]: the point, the damping `μ`, the model and the rules' memory.
struct Climb<'a, 'f, G: Geometry> {
    problem: &'a DualProblem<G>,
    settings: AscentSettings,
    finish: &'a mut Finish<'f, G>,
    eval: DualEval<G>,
    /// The split structure of the last accepted model step.
    splits: Vec<(usize, Vec<G::Label>)>,
    /// Trial steps so far.
    it: usize,
    mu: f64,
    last_step: f64,
    /// After a step the undamped model mispredicted, the net of ambiguous pieces is widened
    /// (the model probably missed a kink) before the damping is raised.
    widen: f64,
    last_residual: f64,
    /// The model at `eval` with its damping scale (the mean diagonal).
    model: Option<(LocalModel<G>, f64)>,
    /// Bounds of the tie distances from the last full scan (local minima only).
    ties: Option<TieBounds>,
    /// The last undamped step rejected before widening the net.
    rejected: Option<Vec<f64>>,
    /// The length of the path travelled since the start.
    travelled: f64,
    /// Trust radius: the length of the last rejected step halved (∞ until a step is rejected),
    /// at least twice the length of a step whose gain the model predicted well, and four times
    /// larger after such a step that it had shortened. A model step longer than it is damped
    /// further before D is evaluated — so that the damping found for a mispredicted step is not
    /// thrown away when the next step is predicted well: after a reset to μ = 0 the undamped
    /// step is often as wrong as before (nearly coincident abscissas, a cliff at the domain's
    /// edge), and each such trial costs an evaluation and a scan.
    trust: f64,
    /// How far toward the domain's edge a step may go, as a fraction of the way: halved after a
    /// rejected step that it cut short, doubled (up to EDGE_FRACTION) after a good one. Near
    /// the edge `D` falls to −∞ (the interior pieces' curvature grows like `1/(1 − |v|²)³`),
    /// which no quadratic model sees: in the rich regime the optimum lies close to the edge,
    /// and steps stopped 5 % short of it were rejected over and over until the iteration cap
    /// (measured: docs/SOLVER.md, "Measured choices").
    edge: f64,
    /// Damping raises for the trust radius (no evaluation) since the last trial.
    raises: usize,
    /// Model steps that predicted a loss.
    failed_models: usize,
    /// The residual removed by the step after which `finish` was last asked.
    asked_at: f64,
}

impl<G: Geometry> Climb<'_, '_, G> {
    fn stopped(self, stop: Stop) -> Ascent<G> {
        Ascent { eval: self.eval, iterations: self.it, stop, splits: self.splits }
    }

    /// Asks the caller's `finish` about the current point, after an undamped step that removed
    /// `removed` (see [`ascend`]).
    fn satisfied(&mut self, removed: f64) -> bool {
        if self.mu == 0.0 && removed <= self.settings.finish_below && removed < 0.1 * self.asked_at {
            self.asked_at = removed;
            (self.finish)(&self.eval, &self.splits)
        } else {
            false
        }
    }

    /// The local model at the current point, over the ambiguous pieces within reach.
    fn build_model(&mut self) {
        let (problem, settings, eval) = (self.problem, self.settings, &self.eval);
        let norm_alpha = eval.alpha.iter().map(|a| a * a).sum::<f64>().sqrt();
        let radius = (10.0 * self.last_step).max(settings.ambiguity * norm_alpha) * self.widen;
        // Local minima suffice while the model predicts well; after a misprediction, every
        // valid piece (a fold may have been missed).
        let pieces = if settings.all_pieces || self.widen > 1.0 { Alternatives::All } else { Alternatives::LocalMinima };
        let amb = match self.ties.as_mut() {
            Some(bounds) if pieces == Alternatives::LocalMinima => {
                bounds.rescan(problem, eval, radius, settings.max_ambiguous, self.travelled)
            }
            _ => {
                let (amb, bounds) = TieBounds::scan(problem, eval, radius, settings.max_ambiguous, pieces, self.travelled);
                // Bounds over every piece hold for local minima too; not the reverse.
                self.ties = Some(bounds);
                amb
            }
        };
        let m = LocalModel::new(problem, eval, &amb);
        let mean_diag = m.mean_diagonal();
        self.model = Some((m, mean_diag.max(f64::MIN_POSITIVE)));
    }

    /// Raises the damping after a failed step: `Some(Stalled)` once it passes `STALL_DAMPING`.
    fn damp(&mut self, first: f64, factor: f64, mu_scale: f64) -> Option<Stop> {
        self.mu = if self.mu == 0.0 { first * mu_scale } else { self.mu * factor };
        (self.mu > STALL_DAMPING * mu_scale).then_some(Stop::Stalled)
    }

    /// One trial of the model's step; `Some(stop)` ends the ascent.
    fn trial(&mut self) -> Option<Stop> {
        let Some(mu_scale) = self.model.as_ref().map(|m| m.1) else { return Some(Stop::MaxIterations) };
        self.it += 1;
        let step = match self.propose(mu_scale) {
            Ok(step) => step,
            Err(stop) => return stop,
        };
        let noise = 10.0 * self.eval.noise;
        if !(step.predicted > -noise) {
            // A maximizer of the model gains at least 0: the model's active set did not finish
            // (hundreds of kinks along a long step). Damping shortens the step across fewer —
            // a few times; if the model keeps failing, the ascent stops as stalled and the
            // solver widens the net.
            self.failed_models += 1;
            let stall = self.damp(1e-8, 8.0, mu_scale);
            return if self.failed_models > MAX_FAILED_MODELS { Some(Stop::Stalled) } else { stall };
        }
        // A wider net that gives back the step just rejected (the net is full, or the new pieces
        // change nothing): widening further cannot help, and D there is known — damp instead.
        if self.mu == 0.0 && self.widen > 1.0 && self.rejected.as_ref().is_some_and(|r| same_step(r, &step.d)) {
            self.widen = MAX_WIDEN;
            self.mu = 1e-5 * mu_scale;
            return None;
        }
        let trial: Vec<f64> = self.eval.alpha.iter().zip(&step.d).map(|(a, b)| a + b).collect();
        let e = self.problem.evaluate(&trial);
        if step.predicted.abs() <= noise {
            return self.below_noise(e, step, noise);
        }
        self.last_residual = step.model_residual;
        self.judge(e, step, mu_scale)
    }

    /// The model's step at the current damping, capped toward the domain's edge and kept within
    /// the trust radius. `Err(None)` when the trial is to be retried with the damping it set (a
    /// singular model, or a step longer than the trust radius), `Err(Some(Stalled))` when that
    /// damping passed `STALL_DAMPING`.
    fn propose(&mut self, mu_scale: f64) -> Result<Proposal<G::Label>, Option<Stop>> {
        let Some((m, _)) = self.model.as_ref() else { return Err(Some(Stop::MaxIterations)) };
        let Some(Step { delta: mut d, splits }) = m.step(self.mu) else {
            return Err(self.damp(1e-8, 8.0, mu_scale));
        };
        // The interpolation residual the model step would remove, `(H + μI)Δ = r(s)`.
        let removed_by_step = m.removed(&d, self.mu);
        let model_residual = removed_by_step.iter().fold(0.0, |a: f64, v| a.max(v.abs()));
        let removed = removed_by_step.iter().map(|v| v * v).sum::<f64>().sqrt();
        let limit = self.problem.geometry.domain_limit(&self.problem.x, &self.eval.alpha, &d);
        let capped = limit < 1.0 / self.edge;
        if capped {
            let cap = self.edge * limit;
            d.iter_mut().for_each(|v| *v *= cap);
        }
        let length = d.iter().map(|v| v * v).sum::<f64>().sqrt();
        if length > self.trust && self.raises < MAX_TRUST_RAISES {
            // `(H + μI)Δ = r` with `r` the residual the step removes: `|Δ(μ)| ≈ |r|/(σ + μ)` along
            // the direction that makes the step long, and `σ ≈ |r|/length`; so about
            // `|r|(1/trust − 1/length)` brings it within the radius (then ×4 while it does not).
            // The model is solved again with that damping, and the trial not counted. Never
            // into a stall by this alone: past that, the step is tried as it is.
            let guess = removed * (1.0 / self.trust - 1.0 / length);
            let raised = (4.0 * self.mu).max(1e-8 * mu_scale).max(if guess.is_finite() { guess } else { 0.0 });
            if raised <= 1e-2 * STALL_DAMPING * mu_scale {
                self.raises += 1;
                self.it -= 1;
                self.mu = raised;
                return Err(None);
            }
        }
        let limited = std::mem::take(&mut self.raises) > 0;
        let predicted = m.gain(&d);
        Ok(Proposal { d, splits, model_residual, length, predicted, capped, limited })
    }

    /// A step whose predicted gain is below `D`'s round-off: the gain cannot judge it. It is
    /// taken if `D` does not drop beyond the noise, and the ascent goes on with undamped model
    /// steps (Newton steps on the residual) while they halve the residual the model sees;
    /// otherwise it has converged — the model has nothing more to offer that D could see.
    fn below_noise(&mut self, e: DualEval<G>, step: Proposal<G::Label>, noise: f64) -> Option<Stop> {
        let shrinking = step.model_residual <= 0.5 * self.last_residual && step.model_residual > self.settings.residual_tol;
        if e.value.is_finite() && e.value - self.eval.value >= -noise {
            self.travelled += step.length;
            self.eval = e;
            self.splits = step.splits;
            if shrinking && self.mu == 0.0 {
                if self.satisfied(step.model_residual) {
                    return Some(Stop::Converged);
                }
                self.last_residual = step.model_residual;
                self.last_step = step.length;
                self.model = None;
                return None;
            }
        }
        Some(Stop::Converged)
    }

    /// Judges a trial by `D`'s gain against the model's prediction: accepted (damping eased,
    /// trust radius grown), searched along (a line search on the concave `D`), or rejected (the
    /// net widened first, then the damping raised in proportion to how poor the prediction was).
    fn judge(&mut self, e: DualEval<G>, step: Proposal<G::Label>, mu_scale: f64) -> Option<Stop> {
        let gain = e.value - self.eval.value;
        let Proposal { d, splits, model_residual, length, predicted, capped, limited } = step;
        let good = e.value.is_finite() && gain >= 0.1 * predicted;
        if !good {
            if let Some((e, t)) = line_search(self.problem, &self.eval, &d, &e) {
                self.travelled += t * length;
                self.last_step = t * length;
                self.eval = e;
                self.splits = Vec::new();
                self.model = None;
                self.widen = 1.0;
                return None;
            }
            self.trust = 0.5 * length;
            if capped {
                self.edge = (0.5 * self.edge).max(MIN_EDGE_FRACTION);
            }
        } else if gain >= 0.75 * predicted {
            self.trust = if limited { 4.0 * self.trust } else { self.trust.max(2.0 * length) };
            if capped {
                self.edge = (2.0 * self.edge).min(EDGE_FRACTION);
            }
        }
        if good {
            if (0.9 * predicted..=1.1 * predicted).contains(&gain) && !limited {
                // The model is exact to 10 %: trust it fully (quadratic convergence).
                self.mu = 0.0;
            } else if gain >= 0.75 * predicted {
                // (A step the trust radius shortened: the radius grows, the damping eases.)
                self.mu = if self.mu < 1e-10 * mu_scale { 0.0 } else { self.mu * 0.25 };
            }
            self.eval = e;
            self.splits = splits;
            self.last_step = length;
            self.travelled += length;
            self.model = None;
            self.widen = 1.0;
            let done = self.mu == 0.0 && model_residual <= self.settings.residual_tol;
            return (done || self.satisfied(model_residual)).then_some(Stop::Converged);
        }
        if self.mu == 0.0 && self.widen < MAX_WIDEN {
            self.widen *= 10.0;
            self.model = None;
            self.rejected = Some(d);
            return None;
        }
        // A poor prediction: raise the damping in proportion to how poor.
        self.damp(1e-5, if gain > 0.0 { 8.0 } else { 64.0 }, mu_scale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::init::{InitialMeasure, Law, Width};

    /// Seven points at τ = 0.5, 1 024 Gaussian directions, λ = 0.
    fn seven_points() -> DualProblem {
        let x = vec![-2.1, -1.3, -0.4, 0.2, 0.9, 1.6, 2.4];
        let y = vec![0.4, -0.8, 0.3, 0.9, -0.2, 0.5, -0.6];
        let init = InitialMeasure::new(Law::Gaussian, true, Width::Directions(1024), &x).unwrap();
        DualProblem::new(&x, &y, 0.0, 0.5, &init)
    }

    /// `finish` is asked only at accepted points (D never below the start's), and the ascent
    /// stops at the first point it accepts — with fewer iterations than an ascent that is never
    /// satisfied and runs to its residual tolerance.
    #[test]
    fn finish_stops_the_ascent_where_it_is_asked() {
        let problem = seven_points();
        let settings = AscentSettings {
            ambiguity: 1e-6,
            max_ambiguous: 110,
            all_pieces: false,
            max_iterations: 200,
            residual_tol: 1e-13,
            finish_below: 1e-7,
            deadline: None,
        };
        let start = problem.evaluate(&[0.0; 7]);
        let full = ascend(&problem, start.clone(), settings, &mut |_, _| false);
        assert_eq!(full.stop, Stop::Converged);
        let mut asked: Vec<DualEval> = Vec::new();
        let early = ascend(&problem, start.clone(), settings, &mut |e, _| {
            asked.push(e.clone());
            true
        });
        assert_eq!(asked.len(), 1, "asked once, then stopped");
        assert_eq!(early.stop, Stop::Converged);
        assert_eq!(early.eval.alpha, asked[0].alpha);
        assert!(early.eval.value >= start.value);
        assert!(early.iterations < full.iterations, "{} vs {}", early.iterations, full.iterations);
        // Near the optimum: within the noise of the full ascent's value.
        assert!(full.eval.value - early.eval.value <= 1e-9 * full.eval.value.abs(), "{} vs {}", early.eval.value, full.eval.value);
    }

    /// Along a step that overshoots by far (a multiple of the gradient at α = 0), the line search
    /// lands within what concavity allows of the best point on a fine grid of the segment:
    /// `max φ − φ(t) ≤ |φ'(t)|·1 ≤ 0.1·φ'(0)` once the slope is flat, and in any case above
    /// `φ(0)` and `φ(1)`.
    #[test]
    fn line_search_finds_the_maximum_along_an_overshooting_step() {
        let problem = seven_points();
        let start = problem.evaluate(&[0.0; 7]);
        let g = start.gradient(&problem);
        let limit = problem.geometry.domain_limit(&problem.x, &start.alpha, &g);
        for fraction in [0.3, 0.9, 0.999] {
            let d: Vec<f64> = g.iter().map(|v| v * fraction * limit).collect();
            let at_one = problem.evaluate(&d);
            let s0: f64 = g.iter().zip(&d).map(|(a, b)| a * b).sum();
            let (found, t) = line_search(&problem, &start, &d, &at_one).expect("an ascent direction gains");
            let grid_best = (1..=2000)
                .map(|k| problem.evaluate(&d.iter().map(|v| v * k as f64 / 2000.0).collect::<Vec<_>>()).value)
                .fold(f64::NEG_INFINITY, f64::max);
            assert!(found.value > start.value && found.value >= at_one.value, "fraction {fraction}: t {t}");
            assert!(found.value >= grid_best - 0.1 * s0, "fraction {fraction}: {} vs grid {grid_best} (slope {s0})", found.value);
            let moved: Vec<f64> = d.iter().map(|v| v * t).collect();
            assert_eq!(found.alpha, moved);
        }
    }
}
