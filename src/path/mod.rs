//! The scaling path `τ ↦ μ_τ` over a list of τ (MATH §4): solved τ by τ from the largest
//! (the nearly quadratic kernel end) down to the smallest (the rich end, where the dual
//! optimum approaches the edge of its domain), each warm-started from the previous certified
//! `α`. [`ScalingPath::step`] solves one τ, so a caller can show progress and cancel.
//! [`solve_path`] splits a long path into two independent chains
//! ([`ScalingPath::split_lower_half`]) and, natively, solves them on two threads.

//!
//! This folder: the path over τ here ([`ScalingPath`], [`solve_path`]), each τ solved by
//! [`crate::solver`] and the two ends by [`crate::limits`]; the JSON schema of the CLI's
//! reports, a contract other tools read ([`report`]); the same report from the infinite-width
//! solve of [`crate::continuum`] (`path --exact`, [`exact`]); and gradient descent against the
//! path from the same neurons ([`compare`], over [`crate::gd`]).

pub mod compare;
pub mod exact;
pub mod plane;
pub mod report;
pub mod split;
pub mod transport_table;
pub mod width_check;

use crate::dual::direction::sup_g;
use crate::dual::{DualEval, DualProblem};
use crate::input::data::Data;
use crate::input::error::Result;
use crate::input::params::{ValidPathParams, check_tau};
use crate::limits::kernel_limit::KernelLimit;
use crate::limits::rich_limit::{RichLimit, rich_limit};
use crate::network::curve::{CurveRules, MeasureRow, corrected_curve};
use crate::network::init::{InitialMeasure, Width, data_range};
use crate::network::model::evaluate_sorted;
use crate::path::report::{Fit, InitReport, KernelLimitReport, PathReport, RichLimitReport, TauReport};
use crate::solver::{Deadline, Solution, SolverSettings, inside, solve, solve_from};
use std::sync::OnceLock;

/// The data as the solver sees it: at λ = 0 repeated points (same x, same y) are merged.
#[derive(Debug, Clone)]
struct Merged {
    x: Vec<f64>,
    y: Vec<f64>,
    /// For each original point, its merged index.
    index: Vec<usize>,
    /// Multiplicity of each merged point.
    count: Vec<usize>,
}

fn merge(data: &Data, lambda: f64) -> Merged {
    let mut m = Merged { x: vec![], y: vec![], index: vec![], count: vec![] };
    for (&xi, &yi) in data.x.iter().zip(&data.y) {
        let found = if lambda == 0.0 { m.x.iter().zip(&m.y).position(|(&a, &b)| a == xi && b == yi) } else { None };
        match found {
            Some(j) => {
                m.index.push(j);
                m.count[j] += 1;
            }
            None => {
                m.index.push(m.x.len());
                m.x.push(xi);
                m.y.push(yi);
                m.count.push(1);
            }
        }
    }
    m
}

/// Below this τ, a path that starts cold walks down from it (the dual is nearly quadratic there).
const COLD_START_TAU: f64 = 100.0;

/// Step, in decades of τ, of the walk down from `COLD_START_TAU` of a cold start: half decades cost
/// less than quarter decades, with the same certificates (measured: docs/SOLVER.md, "Measured
/// choices").
const COLD_WALK_DECADES: f64 = 0.5;

/// Iteration cap of the first solve from a seeded warm start (see `solve_with_continuation`).
const SEEDED_ITERATIONS: usize = 40;

/// Iteration cap of the intermediate solves of a continuation (they only serve as warm starts).
const SUBSTEP_ITERATIONS: usize = 60;

/// Below this `sup g_α` the fit is drawn with the re-aligned rule (MATH §8). The argmin `θ*_α`
/// still jumps between candidates on a small set of directions, which no fixed rule resolves:
/// measured by refinement (1 536 → 6 144 directions per point) on a 6-point set, the re-aligned
/// curve moves by 0.16 at `sup g_α` = 1.4e-2 (τ = 20), 3e-2 at 2.2e-3 (τ = 50); on example.csv
/// by 1e-3 at 2.9e-4 (τ = 100) and 5e-6 at 2.9e-6 (τ = 10³). Above the threshold the exact
/// function of the reported measure is drawn.
const REALIGN_BELOW_SUP_G: f64 = 1e-3;
/// Every how many grid points the re-aligned curve is recomputed with twice the directions to
/// estimate its error (`fit_error`).
const REFINEMENT_STRIDE: usize = 8;
/// Directions per grid point of the re-aligned rule (example.csv, τ = 10³: 1.9e-6 from `f_K`).
const REALIGNED_DIRECTIONS: usize = 1536;

/// The two regimes the path runs between (MATH §4), on the path's grid.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The kernel limit and the lazy predictions.
    pub kernel: KernelLimit,
    /// The rich limit, if its column generation succeeded.
    pub rich: Option<RichLimit>,
    /// The rich limit's fit on the grid.
    pub rich_fit: Option<Vec<f64>>,
}

/// A steppable scaling-path computation.
#[derive(Debug, Clone)]
pub struct ScalingPath {
    data: Data,
    merged: Merged,
    init: InitialMeasure,
    problem: DualProblem,
    grid: Vec<f64>,
    /// τ values in solve order (decreasing, or increasing after [`ScalingPath::solve_upward`]).
    order: Vec<f64>,
    next: usize,
    /// The last two certified `(τ, α)`, newest first (warm starts).
    warm: Vec<(f64, Vec<f64>)>,
    settings: SolverSettings,
    /// Computed on first use.
    limits: Option<Limits>,
    /// The warm-start memory holds a seed (possibly from other data) not yet used.
    seeded: bool,
    /// The re-aligned rules of the grid and of its refinement sample (computed on first use;
    /// the same for every τ).
    curve_rules: OnceLock<(CurveRules, CurveRules)>,
    /// Seconds each τ may take, on a clock ([`Self::set_budget`]).
    budget: Option<(fn() -> f64, f64)>,
}

impl ScalingPath {
    /// Prepares the path for validated parameters.
    pub fn new(data: &Data, params: &ValidPathParams) -> Result<ScalingPath> {
        let merged = merge(data, params.lambda());
        let init = InitialMeasure::new(params.law(), params.symmetric(), params.width(), &merged.x)?;
        let problem = DualProblem::new(&merged.x, &merged.y, params.lambda(), 1.0, &init);
        let mut order = params.taus().to_vec();
        order.sort_by(|a, b| b.total_cmp(a));
        Ok(ScalingPath {
            data: data.clone(),
            merged,
            init,
            problem,
            grid: params.grid().points(),
            order,
            next: 0,
            warm: Vec::new(),
            settings: SolverSettings::default(),
            limits: None,
            seeded: false,
            curve_rules: OnceLock::new(),
            budget: None,
        })
    }

    /// Gives each τ at most `seconds` on `clock` (seconds since a fixed origin), its warm-up
    /// steps included: once they have passed, the solver stops at its next step and the τ is
    /// reported with the best measure found so far — certified if that measure meets the
    /// targets, else flagged [`TauReport::budget_exhausted`]. Without a budget (the default)
    /// the numbers depend on the inputs only; with one, a τ cut short depends on the machine.
    pub fn set_budget(&mut self, clock: fn() -> f64, seconds: f64) {
        self.budget = Some((clock, seconds));
    }

    /// Solves the τ's not yet solved from the smallest up instead (for a part of a split path
    /// that starts from a seed at its lower end, [`Self::seed_warm_start`]): the warm starts work
    /// either way (the rescaling, the line in τ), and a seed that does not certify falls back to
    /// a cold start as usual.
    pub fn solve_upward(&mut self) {
        self.order[self.next..].sort_by(f64::total_cmp);
    }

    /// The initial measure at scale 1.
    pub fn init_report(&self) -> InitReport {
        let (kind, seed) = match self.init.width {
            Width::Directions(_) => ("quadrature", None),
            Width::Neurons { seed, .. } => ("sampled", Some(seed)),
        };
        InitReport {
            law: self.init.law.name(),
            symmetric: self.init.symmetric,
            kind,
            count: self.init.len(),
            seed,
            weights: self.init.weights.clone(),
            neurons: self.init.neurons.clone(),
        }
    }

    /// The initial measure.
    pub fn initial_measure(&self) -> &InitialMeasure {
        &self.init
    }

    /// Number of τ values.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// True when there is no τ.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Number of τ values solved so far.
    pub fn done(&self) -> usize {
        self.next
    }

    /// Seeds the warm-start memory with a known `(τ, α)` — e.g. the selected τ of an earlier
    /// solve on similar data — in place of what it holds, so that the next [`step`](Self::step)
    /// starts from the best of `α` and its rescaling `(τ_seed/τ)² α` instead of walking down
    /// from the kernel end. `alpha` is per data point, as in [`TauReport::alpha`]; merged
    /// duplicates get the sum of their points' values (the inverse of the report's equal
    /// split). It is a hint only: an `α` outside the dual domain is pulled back into it by the
    /// solver, and a seed that does not fit (wrong length, non-finite value, bad τ) is ignored,
    /// leaving the memory as it was. Returns whether the seed was taken.
    pub fn seed_warm_start(&mut self, tau: f64, alpha: &[f64]) -> bool {
        if alpha.len() != self.merged.index.len() || !alpha.iter().all(|a| a.is_finite()) || check_tau(tau).is_err() {
            return false;
        }
        let mut merged = vec![0.0; self.merged.x.len()];
        for (&j, &a) in self.merged.index.iter().zip(alpha) {
            merged[j] += a;
        }
        self.warm = vec![(tau, merged)];
        self.seeded = true;
        true
    }

    /// Solves the next τ (in decreasing order); `None` when all are done.
    pub fn step(&mut self) -> Option<TauReport> {
        let tau = *self.order.get(self.next)?;
        self.next += 1;
        let (sol, late) = self.solve_with_continuation(tau);
        self.limits();
        Some(self.report(tau, sol, late))
    }

    /// Solves `tau` on its own, off the path: the path is neither advanced nor warm-started by
    /// it, but its limits and realigned rules (computed once) serve both. It starts from `seed`
    /// (`(τ, α)`, a hint as in [`Self::seed_warm_start`]) or cold, as the path's first τ would.
    /// With `distances` the report carries its distances to the limits (computing them if need
    /// be); without, the limits are left alone and the report has none (a quick first look: the
    /// limits, the rich one an LP, cost more than a warm solve).
    pub fn solve_single(&mut self, tau: f64, seed: Option<(f64, &[f64])>, distances: bool) -> TauReport {
        let memory = (std::mem::take(&mut self.warm), std::mem::replace(&mut self.seeded, false));
        if let Some((seed_tau, alpha)) = seed {
            self.seed_warm_start(seed_tau, alpha);
        }
        let (sol, late) = self.solve_with_continuation(tau);
        if distances {
            self.limits();
        }
        let report = self.report(tau, sol, late);
        (self.warm, self.seeded) = memory;
        report
    }

    /// The kernel and rich limits on the path's grid (computed on first use).
    pub fn limits(&mut self) -> &Limits {
        let (x, y, lambda) = (&self.merged.x, &self.merged.y, self.problem.lambda);
        let grid = &self.grid;
        let init = &self.init;
        self.limits.get_or_insert_with(|| {
            let kernel = KernelLimit::new(init, x, y, grid);
            let rich = if lambda == 0.0 { rich_limit(x, y).ok() } else { None };
            let rich_fit = rich.as_ref().map(|r| r.fit(grid));
            Limits { kernel, rich, rich_fit }
        })
    }

    /// The limits as reported in JSON.
    pub fn limits_report(&mut self) -> (Option<KernelLimitReport>, Option<RichLimitReport>) {
        let grid = self.grid.clone();
        let limits = self.limits();
        let kernel = limits.kernel.fit().zip(limits.kernel.norm()).map(|(fit, norm)| KernelLimitReport {
            kernel: limits.kernel.kernel().kind(),
            fit: Fit { x: grid.clone(), y: fit.to_vec() },
            norm,
        });
        let rich = limits.rich.as_ref().zip(limits.rich_fit.as_ref()).map(|(r, fit)| RichLimitReport {
            cost: r.cost,
            dual: r.dual,
            gap: r.gap,
            residual: r.residual,
            fit: Fit { x: grid, y: fit.clone() },
            kinks: r.kinks.clone(),
            slope_changes: r.slope_changes.clone(),
            neurons: r.neurons.clone(),
        });
        (kernel, rich)
    }

    /// Solves τ warm-started; if that does not certify, follows the path to it in finer steps —
    /// from the last solved τ (or, for the first τ, from the kernel end `max(τ, 1) · 10³`,
    /// where the dual is nearly quadratic), `2, 4, 8` geometric sub-steps — and retries. The
    /// sub-step solutions only serve as warm starts. Also returns whether the τ's budget
    /// ([`Self::set_budget`]) had run out by the end.
    fn solve_with_continuation(&mut self, tau: f64) -> (Solution, bool) {
        let deadline = self.budget.map(|(clock, seconds)| Deadline::after(clock, seconds));
        let saved = self.settings;
        self.settings.deadline = deadline;
        let sol = self.continue_to(tau);
        self.settings = saved;
        (sol, deadline.is_some_and(|d| d.passed()))
    }

    /// [`Self::solve_with_continuation`] with the τ's deadline in `self.settings`: once it has
    /// passed, the warm-up steps left are skipped and the solve at τ stops at its first step.
    fn continue_to(&mut self, tau: f64) -> Solution {
        let late = |s: &SolverSettings| s.deadline.is_some_and(|d| d.passed());
        // A seed from other data (a dragged point) is usually close; but when the optimum's split
        // structure changed, the ascent from it can take nearly its whole budget, several times
        // a cold start. So: a short budget, then a cold start.
        let mut seeded_miss: Option<Solution> = None;
        if self.seeded {
            let quick = SolverSettings { max_iterations: SEEDED_ITERATIONS, ..self.settings };
            let sol = self.solve_at(tau, quick);
            self.seeded = false;
            if sol.certified {
                self.remember(tau, &sol);
                return sol;
            }
            self.warm.clear();
            seeded_miss = Some(sol);
        }
        if self.warm.is_empty() && tau >= COLD_START_TAU {
            // A cold start at the kernel end: one decade further first. Straight from α = 0,
            // 35 random points at τ = 100 did not converge in 200 iterations (and every τ below,
            // warm-started from it, failed too); after τ = 1 000 it certifies in 52.
            let quick = SolverSettings { max_iterations: SUBSTEP_ITERATIONS, warm_start_only: true, ..self.settings };
            self.solve_at(10.0 * tau, quick);
        }
        if self.warm.is_empty() && tau < COLD_START_TAU {
            // A cold start far from the kernel regime: walk down from it in steps of
            // COLD_WALK_DECADES (each warm-started and quick), which is much cheaper than
            // ascending from α = 0.
            let quick = SolverSettings { max_iterations: SUBSTEP_ITERATIONS, warm_start_only: true, ..self.settings };
            let mut t = COLD_START_TAU;
            while t > tau * 1.5 && !late(&quick) {
                self.solve_at(t, quick);
                t /= libm::pow(10.0, COLD_WALK_DECADES);
            }
        }
        let mut best = self.solve_at(tau, self.settings);
        for substeps in [2usize, 4, 8] {
            if best.certified || late(&self.settings) {
                break;
            }
            let from = self.warm.get(1).map(|w| w.0).unwrap_or(tau.max(1.0) * 1e3);
            // Restart the warm-start memory at the far end of the continuation.
            self.warm.retain(|w| w.0 != tau);
            let quick = SolverSettings { max_iterations: SUBSTEP_ITERATIONS, warm_start_only: true, ..self.settings };
            if self.warm.is_empty() {
                self.solve_at(from, quick);
            }
            for k in 1..substeps {
                if late(&quick) {
                    break;
                }
                let t = libm::exp(libm::log(from) + (libm::log(tau) - libm::log(from)) * k as f64 / substeps as f64);
                self.solve_at(t, quick);
            }
            let again = self.solve_at(tau, self.settings);
            if again.certified || (again.relative_gap.abs() < best.relative_gap.abs() && again.measure.residual <= best.measure.residual) {
                best = again;
            }
        }
        if let Some(miss) = seeded_miss {
            if !best.certified && miss.relative_gap.abs() < best.relative_gap.abs() && miss.measure.residual <= best.measure.residual {
                best = miss;
            }
        }
        self.remember(tau, &best);
        best
    }

    /// Makes `(τ, α of sol)` the newest warm start.
    fn remember(&mut self, tau: f64, sol: &Solution) {
        self.warm.retain(|w| w.0 != tau);
        self.warm.insert(0, (tau, sol.eval.alpha.clone()));
        self.warm.truncate(2);
    }

    /// One solve at τ from the warm start; remembers its `α`.
    fn solve_at(&mut self, tau: f64, settings: SolverSettings) -> Solution {
        self.problem.tau = tau;
        let sol = match self.warm_start(tau) {
            Some(start) => solve_from(&self.problem, start, settings),
            None => solve(&self.problem, &vec![0.0; self.problem.n()], settings),
        };
        self.warm.insert(0, (tau, sol.eval.alpha.clone()));
        self.warm.truncate(2);
        sol
    }

    /// The starting point for τ (evaluated): the best (largest dual value) of the previous `α`
    /// rescaled by `(τ_prev/τ)²` (exact in the kernel regime, where `α ∝ 1/τ²`) and the linear
    /// extrapolation *in τ* through the last two solutions (the rich end, where
    /// `α(τ) ≈ α₀ + τ α₁`). The extrapolation in τ replaced one in `log τ`, a poor predictor of
    /// `α₀ + τ α₁`: on the benchmark (sin 1.5x, n = 10, 41 τ) the path took 172 ascent
    /// iterations with the log one (5 per τ at the rich end), 133 with this one (2–3); and the
    /// previous `α` itself, which never won there, is no longer tried. With a single solution
    /// (a path's first τ after its kernel-end warm-up), its rescaling only — where the previous
    /// `α` has the larger `D` but is the poorer start: one random case took 22 iterations from
    /// it and 6 from the rescaling — but a seed ([`Self::seed_warm_start`]), which may come
    /// from any τ, starts from the better of both. `None` with nothing to start from, or no
    /// candidate in the domain (then the previous `α` pulled toward 0, as `solve` does, is
    /// used).
    fn warm_start(&self, tau: f64) -> Option<DualEval> {
        let (t1, a1) = self.warm.first()?;
        let rescaled: Vec<f64> = a1.iter().map(|a| a * (t1 / tau).powi(2)).collect();
        let candidates = match self.warm.get(1) {
            Some((t2, a2)) => {
                let s = (tau - t1) / (t1 - t2);
                vec![rescaled, a1.iter().zip(a2).map(|(x1, x2)| x1 + s * (x1 - x2)).collect()]
            }
            // Upward (a part solved from its lower end) the previous α is tried too.
            None if (self.seeded || tau > *t1) && *t1 != tau => vec![a1.clone(), rescaled],
            None => vec![rescaled],
        };
        let best = candidates
            .iter()
            .map(|a| self.problem.evaluate(a))
            .filter(|e| e.value.is_finite())
            .max_by(|p, q| p.value.total_cmp(&q.value));
        Some(best.unwrap_or_else(|| inside(&self.problem, a1)))
    }

    fn report(&self, tau: f64, sol: Solution, late: bool) -> TauReport {
        let tau2 = tau * tau;
        let rows = &sol.measure.rows;
        let neurons: Vec<[f64; 5]> = rows
            .iter()
            .map(|r| {
                let t = r.choice.theta;
                [r.source as f64, r.share, tau * t[0], tau * t[1], tau * t[2]]
            })
            .collect();
        let thetas: Vec<[f64; 3]> = rows.iter().map(|r| r.choice.theta).collect();
        let masses: Vec<f64> = rows.iter().map(|r| tau2 * self.init.weights[r.source] * r.share).collect();
        let smooth = sup_g(&self.problem.geometry, &self.merged.x, &sol.eval.alpha) <= REALIGN_BELOW_SUP_G;
        let measure_fit = evaluate_sorted(&thetas, &masses, &self.grid);
        let (fit_y, fit_source, fit_error) = if smooth && matches!(self.init.width, Width::Directions(_)) {
            let (x, alpha, law) = (&self.merged.x, &sol.eval.alpha, self.init.law);
            let measure: Vec<MeasureRow> = rows
                .iter()
                .zip(&thetas)
                .zip(&masses)
                .map(|((r, &theta), &mass)| MeasureRow { source: self.init.neurons[r.source], theta, mass })
                .collect();
            let (rules, finer_rules) = self.curve_rules.get_or_init(|| {
                let range = data_range(x);
                let sample: Vec<f64> = self.grid.iter().step_by(REFINEMENT_STRIDE).copied().collect();
                (
                    CurveRules::new(x, law, range, &self.grid, REALIGNED_DIRECTIONS),
                    CurveRules::new(x, law, range, &sample, 2 * REALIGNED_DIRECTIONS),
                )
            });
            let f = corrected_curve(x, alpha, tau, rules, &measure, &measure_fit);
            let sample_fit: Vec<f64> = measure_fit.iter().step_by(REFINEMENT_STRIDE).copied().collect();
            let finer = corrected_curve(x, alpha, tau, finer_rules, &measure, &sample_fit);
            let error =
                f.iter().step_by(REFINEMENT_STRIDE).zip(&finer).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
            (f, "realigned", Some(error))
        } else {
            (measure_fit, "measure", None)
        };
        let sup_distance = |other: &[f64]| fit_y.iter().zip(other).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        let limits = self.limits.as_ref();
        let kernel_distance =
            limits.and_then(|l| l.kernel.lazy_fit(tau, self.problem.lambda)).map(|f| sup_distance(&f));
        let rich_distance = limits.and_then(|l| l.rich_fit.as_deref()).map(sup_distance);
        // α per original point: merged duplicates share their multiplier equally.
        let alpha: Vec<f64> =
            self.merged.index.iter().map(|&j| sol.eval.alpha[j] / self.merged.count[j] as f64).collect();
        TauReport {
            tau,
            alpha,
            primal: sol.measure.primal,
            // D(α) = P − (P − D), with the gap computed without cancellation.
            dual: sol.measure.primal - sol.gap,
            gap: sol.gap,
            relative_gap: sol.relative_gap,
            residual: sol.measure.residual,
            certified: sol.certified,
            transport_cost: sol.measure.transport,
            split_sources: sol.measure.split_sources,
            iterations: sol.iterations,
            neurons,
            fit: Fit { x: self.grid.clone(), y: fit_y },
            fit_source,
            fit_error,
            kernel_distance,
            rich_distance,
            integration_error: None,
            infinite_width_residual: None,
            infinite_width_error: None,
            infinite_width_outside: None,
            budget_exhausted: late && !sol.certified,
        }
    }

    /// The data as given.
    pub fn data(&self) -> &Data {
        &self.data
    }
}

impl Iterator for ScalingPath {
    type Item = TauReport;
    fn next(&mut self) -> Option<TauReport> {
        self.step()
    }
}

/// Paths of at least this many τ are solved as two chains ([`ScalingPath::split_lower_half`],
/// [`solve_path`])…
const CHAIN_MIN_TAUS: usize = 8;

/// …over at most this many distinct points. On more, the transition between the regimes dominates
/// the cost and the lower chain's cold walk repeats it, so two chains are no faster than one;
/// starting the lower chain from the rich limit's multipliers instead (walking up from the smallest
/// τ) lost a τ on nearly coincident abscissas (measured: docs/SOLVER.md, "Measured choices").
const CHAIN_MAX_POINTS: usize = 20;

impl ScalingPath {
    /// Splits the τ's not yet solved into two independent chains: `self` keeps the upper half
    /// (solved from its largest τ down, as before), the returned path holds the lower half and
    /// starts cold at its largest τ (a walk down from τ = 100 in half decades, or the kernel-end
    /// start). Each chain's numbers are the same whether the two run one after the other or at
    /// once; they differ from a single chain's by the warm starts only (every τ carries its own
    /// certificate). `None` below `CHAIN_MIN_TAUS` τ's or above `CHAIN_MAX_POINTS` points. Each
    /// half costs a little over half of one chain (measured: docs/SOLVER.md, "Measured choices").
    pub fn split_lower_half(&mut self) -> Option<ScalingPath> {
        let k = self.chain_cut()?;
        let mut lower = self.clone();
        lower.order = self.order[k..].to_vec();
        lower.next = 0;
        lower.warm.clear();
        lower.seeded = false;
        self.order.truncate(k);
        Some(lower)
    }

    /// Where [`Self::split_lower_half`] would cut the τ's not yet solved: the smallest τ of the
    /// upper chain; `None` when the path stays one chain.
    pub fn chain_split_tau(&self) -> Option<f64> {
        self.chain_cut().map(|k| self.order[k - 1])
    }

    /// The index in `order` where the lower chain begins, if the path is split.
    fn chain_cut(&self) -> Option<usize> {
        let remaining = self.order.len() - self.next;
        if remaining < CHAIN_MIN_TAUS || self.merged.x.len() > CHAIN_MAX_POINTS {
            return None;
        }
        // Finite width: the lower chain's cold walk down from τ = 100 loses τ's at the rich end
        // and saves little time (measured: docs/SOLVER.md, "Measured choices").
        if matches!(self.init.width, Width::Neurons { .. }) {
            return None;
        }
        Some(self.next + remaining / 2)
    }
}

/// Runs every τ, calling `progress(done, total, &report)` after each; the path is returned
/// with τ increasing. From `CHAIN_MIN_TAUS` τ's on, the path is solved as two chains
/// ([`ScalingPath::split_lower_half`]) — natively on two threads (the lower chain on a second
/// one; `progress` is always called on the caller's thread), on wasm32 one after the other,
/// with the same numbers.
pub fn solve_path(data: &Data, params: &ValidPathParams, progress: impl FnMut(usize, usize, &TauReport)) -> Result<PathReport> {
    solve_path_within(data, params, None, progress)
}

/// [`solve_path`] with each τ given at most `budget = (clock, seconds)`
/// ([`ScalingPath::set_budget`]).
pub fn solve_path_within(
    data: &Data,
    params: &ValidPathParams,
    budget: Option<(fn() -> f64, f64)>,
    mut progress: impl FnMut(usize, usize, &TauReport),
) -> Result<PathReport> {
    let mut path = ScalingPath::new(data, params)?;
    if let Some((clock, seconds)) = budget {
        path.set_budget(clock, seconds);
    }
    let total = path.len();
    let init = path.init_report();
    let mut reports = Vec::with_capacity(total);
    let mut take = |r: TauReport| {
        progress(reports.len() + 1, total, &r);
        reports.push(r);
    };
    match path.split_lower_half() {
        None => path.by_ref().for_each(&mut take),
        Some(lower) => run_chains(&mut path, lower, &mut take),
    }
    reports.sort_by(|a, b| a.tau.total_cmp(&b.tau));
    let (kernel_limit, rich_limit) = path.limits_report();
    Ok(PathReport { data: data.clone(), lambda: params.lambda(), init, path: reports, kernel_limit, rich_limit })
}

/// Solves both chains, the lower on a second thread; if that thread cannot be started, one
/// after the other.
#[cfg(not(target_arch = "wasm32"))]
fn run_chains(upper: &mut ScalingPath, lower: ScalingPath, take: &mut dyn FnMut(TauReport)) {
    let slot = std::sync::Mutex::new(Some(lower));
    std::thread::scope(|scope| {
        // The sender moves into the thread (or is dropped with it if it cannot start), so the
        // channel closes when the lower chain is done.
        let (tx, rx) = std::sync::mpsc::channel();
        let shared = &slot;
        let worker = std::thread::Builder::new().name("lower-chain".into()).spawn_scoped(scope, move || {
            let lower = shared.lock().ok().and_then(|mut s| s.take());
            for r in lower.into_iter().flatten() {
                if tx.send(r).is_err() {
                    break;
                }
            }
        });
        while let Some(r) = upper.step() {
            take(r);
            rx.try_iter().for_each(&mut *take);
        }
        match worker {
            Ok(handle) => {
                rx.iter().for_each(&mut *take);
                if let Err(panic) = handle.join() {
                    std::panic::resume_unwind(panic);
                }
            }
            Err(_) => {
                let lower = slot.lock().ok().and_then(|mut s| s.take());
                lower.into_iter().flatten().for_each(&mut *take);
            }
        }
    });
}

/// wasm32 has no threads here: the chains one after the other.
#[cfg(target_arch = "wasm32")]
fn run_chains(upper: &mut ScalingPath, lower: ScalingPath, take: &mut dyn FnMut(TauReport)) {
    upper.by_ref().for_each(&mut *take);
    lower.for_each(&mut *take);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::params::PathParams;

    fn one_tau(data: &Data, tau: f64) -> ScalingPath {
        let params = PathParams { taus: vec![tau], width: Width::Directions(512), ..PathParams::default() };
        ScalingPath::new(data, &params.check(data).unwrap()).unwrap()
    }

    /// `solve_path` (two chains on two threads) reports exactly what stepping the same two
    /// chains one after the other does, τ by τ and bit for bit; and a path below the chain
    /// threshold is not split.
    #[test]
    fn two_chains_on_two_threads_give_the_sequential_numbers() {
        let x: Vec<f64> = (0..7).map(|i| -1.8 + 0.6 * i as f64).collect();
        let y: Vec<f64> = x.iter().map(|&v| (1.3 * v).cos()).collect();
        let data = Data::new(x, y).unwrap();
        let params = PathParams {
            taus: crate::input::params::log_range(1e-2, 1e2, 9).unwrap(),
            width: Width::Directions(512),
            ..PathParams::default()
        };
        let valid = params.check(&data).unwrap();
        let threaded = solve_path(&data, &valid, |_, _, _| {}).unwrap();
        let mut upper = ScalingPath::new(&data, &valid).unwrap();
        let lower = upper.split_lower_half().expect("9 τ are split");
        assert_eq!((upper.len(), lower.len()), (4, 5));
        let mut sequential: Vec<TauReport> = upper.by_ref().chain(lower).collect();
        sequential.sort_by(|a, b| a.tau.total_cmp(&b.tau));
        assert_eq!(threaded.path.len(), 9);
        for (a, b) in threaded.path.iter().zip(&sequential) {
            assert_eq!(a.tau, b.tau);
            assert!(a.certified, "τ = {}", a.tau);
            assert_eq!(a.alpha, b.alpha, "τ = {}", a.tau);
            assert_eq!(a.neurons, b.neurons, "τ = {}", a.tau);
            assert_eq!(a.fit.y, b.fit.y, "τ = {}", a.tau);
            assert_eq!((a.primal, a.gap, a.residual, a.iterations), (b.primal, b.gap, b.residual, b.iterations));
        }
        let short = PathParams { taus: crate::input::params::log_range(1e-2, 1e2, 7).unwrap(), ..params.clone() };
        assert!(ScalingPath::new(&data, &short.check(&data).unwrap()).unwrap().split_lower_half().is_none());
        let many: Vec<f64> = (0..=CHAIN_MAX_POINTS).map(|i| i as f64 / 7.0).collect();
        let many = Data::new(many.clone(), many.iter().map(|v| v.sin()).collect()).unwrap();
        assert!(ScalingPath::new(&many, &params.check(&many).unwrap()).unwrap().split_lower_half().is_none());
    }

    /// A clock frozen at 0: a budget on it never runs out.
    fn frozen() -> f64 {
        0.0
    }

    /// A clock that advances one second each time it is read: a budget on it runs out after a
    /// known number of readings, whatever the machine.
    fn ticking() -> f64 {
        static TICKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        TICKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) as f64
    }

    /// A budget that never runs out changes no number; one that runs out at once leaves the τ
    /// with the measure recovered where the solver stood, finite, flagged and uncertified — never
    /// dropped — and the flag is in the JSON only then.
    #[test]
    fn a_budget_cuts_a_tau_short_and_says_so() {
        // Irregular data: two abscissas 1e-4 apart with different values.
        let x = vec![-1.7, -1.1, -0.6, -0.2, 0.3, 0.3001, 0.8, 1.2, 1.6, 2.0];
        let y = vec![0.2, -0.9, 0.4, 1.0, -0.6, 0.7, 0.1, -0.8, 0.5, -0.3];
        let data = Data::new(x, y).unwrap();
        let free = one_tau(&data, 1.0).step().unwrap();
        let mut roomy = one_tau(&data, 1.0);
        roomy.set_budget(frozen, 1.0);
        let same = roomy.step().unwrap();
        assert_eq!((same.alpha.clone(), same.fit.y.clone(), same.iterations, same.budget_exhausted), (free.alpha.clone(), free.fit.y.clone(), free.iterations, false));
        assert!(free.certified && free.iterations > 3, "the free solve needs more than the budget allows ({} iterations)", free.iterations);
        let mut tight = one_tau(&data, 1.0);
        tight.set_budget(ticking, 2.5);
        let cut = tight.step().unwrap();
        assert!(cut.budget_exhausted && !cut.certified);
        assert!(cut.iterations <= 3, "{} iterations", cut.iterations);
        assert!(cut.residual.is_finite() && cut.primal.is_finite() && cut.fit.y.iter().all(|v| v.is_finite()) && !cut.neurons.is_empty());
        let json = |r: &TauReport| serde_json::to_string(r).unwrap();
        assert!(json(&cut).contains("\"budget_exhausted\":true") && !json(&free).contains("budget_exhausted"));
    }

    /// A seed from quite different data (a point dragged far) may not certify within its short
    /// budget: the path then starts cold, and lands on the cold start's certified solution.
    #[test]
    fn a_poor_seed_falls_back_to_a_cold_start() {
        let x: Vec<f64> = (0..10).map(|i| -2.0 + 4.0 * i as f64 / 9.0).collect();
        let y: Vec<f64> = x.iter().map(|&v| (1.5f64 * v).sin()).collect();
        let before = one_tau(&Data::new(x.clone(), y.clone()).unwrap(), 1.0).step().unwrap();
        for shift in [0.18, 0.6, -1.5] {
            let mut moved = y.clone();
            moved[3] += shift;
            let data = Data::new(x.clone(), moved).unwrap();
            let cold = one_tau(&data, 1.0).step().unwrap();
            let mut seeded = one_tau(&data, 1.0);
            assert!(seeded.seed_warm_start(1.0, &before.alpha));
            let warm = seeded.step().unwrap();
            assert!(cold.certified && warm.certified, "shift {shift}");
            assert!((warm.primal - cold.primal).abs() <= 2e-6 * cold.primal.abs(), "shift {shift}: {} vs {}", warm.primal, cold.primal);
        }
    }

    /// A seed from a nearby τ skips the cold walk down from τ = 100, and lands on the same
    /// certified solution as the cold start (to the certificate's accuracy).
    #[test]
    fn seeded_warm_start_certifies_with_fewer_iterations() {
        // Two points share x = 0.5 (merged at λ = 0): the seed maps per point ↔ merged.
        let data = Data::new(vec![-1.6, -0.9, -0.2, 0.5, 0.5, 1.7], vec![0.3, -0.4, 0.6, -0.1, -0.1, -0.3]).unwrap();
        let cold = one_tau(&data, 0.1).step().unwrap();
        let near = one_tau(&data, 0.12).step().unwrap();
        let mut seeded = one_tau(&data, 0.1);
        assert!(seeded.seed_warm_start(near.tau, &near.alpha));
        let warm = seeded.step().unwrap();
        assert!(cold.certified && warm.certified);
        // The seed was solved from directly: the warm-start memory holds it next to the
        // solution, not a τ of the cold walk (whose solves the report's count leaves out).
        assert_eq!(seeded.warm.iter().map(|w| w.0).collect::<Vec<_>>(), vec![0.1, near.tau]);
        assert!(warm.iterations <= cold.iterations, "warm {} vs cold {} iterations", warm.iterations, cold.iterations);
        assert!((warm.primal - cold.primal).abs() <= 1e-6 * cold.primal.abs());
        for (a, b) in warm.alpha.iter().zip(&cold.alpha) {
            assert!((a - b).abs() <= 1e-4 * (1.0 + b.abs()), "alpha {a} vs {b}");
        }
        assert_eq!(warm.alpha[3], warm.alpha[4]);
    }

    /// A τ solved on its own is the one-τ path's report (bit for bit), with or without its
    /// distances to the limits; the path is then stepped exactly as if it had not been, even
    /// with a seed in its memory that the single solve did not use.
    #[test]
    fn a_single_solve_leaves_the_path_as_it_was() {
        let x: Vec<f64> = (0..8).map(|i| -1.5 + 0.45 * i as f64).collect();
        let y: Vec<f64> = x.iter().map(|&v| (1.7 * v).sin()).collect();
        let data = Data::new(x, y).unwrap();
        let params = PathParams { taus: crate::input::params::log_range(1e-2, 1e2, 5).unwrap(), width: Width::Directions(512), ..PathParams::default() };
        let valid = params.check(&data).unwrap();
        let alone = one_tau(&data, 0.3).step().unwrap();
        let mut path = ScalingPath::new(&data, &valid).unwrap();
        let seed = (0.3, alone.alpha.clone());
        assert!(path.seed_warm_start(seed.0, &seed.1));
        let quick = path.solve_single(0.3, None, false);
        let full = path.solve_single(0.3, None, true);
        for r in [&quick, &full] {
            assert_eq!((r.alpha.clone(), r.fit.y.clone(), r.iterations), (alone.alpha.clone(), alone.fit.y.clone(), alone.iterations));
        }
        assert_eq!((quick.kernel_distance, quick.rich_distance), (None, None));
        assert_eq!((full.kernel_distance, full.rich_distance), (alone.kernel_distance, alone.rich_distance));
        let mut untouched = ScalingPath::new(&data, &valid).unwrap();
        assert!(untouched.seed_warm_start(seed.0, &seed.1));
        for (a, b) in path.zip(untouched) {
            assert_eq!((a.tau, a.iterations, &a.alpha, &a.fit.y), (b.tau, b.iterations, &b.alpha, &b.fit.y));
            assert_eq!((a.kernel_distance, a.rich_distance), (b.kernel_distance, b.rich_distance));
        }
    }

    /// A seed that does not fit the data is refused and changes nothing.
    #[test]
    fn bad_seeds_are_ignored() {
        let data = Data::new(vec![0.0, 1.0], vec![1.0, 0.0]).unwrap();
        let mut path = one_tau(&data, 1.0);
        assert!(!path.seed_warm_start(1.0, &[0.5]));
        assert!(!path.seed_warm_start(1.0, &[0.5, f64::NAN]));
        assert!(!path.seed_warm_start(0.0, &[0.5, 0.5]));
        assert!(path.warm.is_empty());
        let huge = path.seed_warm_start(1.0, &[1e6, -1e6]);
        assert!(huge);
        // Far outside the dual domain: pulled back in, still certified.
        assert!(path.step().unwrap().certified);
    }
}
