//! The scaling path for inputs in the plane, at finite width, in the CLI's JSON schema one
//! dimension up:
//!
//! ```text
//! {"dim":2, "data":{"x":[[x₁,x₂]…],"y":[…]}, "lambda":λ,
//!  "init":{"law":…,"symmetric":…,"kind":"sampled","count":m,"seed":s,"weights":[…],"neurons":[[a,w₁,w₂,b]…]},
//!  "path":[{"tau":τ,"alpha":[…],"primal":P,"dual":D,"gap":P−D,"relative_gap":…,"residual":r,
//!           "certified":…,"transport_cost":W²,"split_sources":…,"iterations":…,
//!           "neurons":[[p,share,a,w₁,w₂,b]…],"fit":{"x1":[…],"x2":[…],"f":[[…]…]},
//!           "infinite_width_residual","infinite_width_error" (a quadrature)}…]}
//! ```
//!
//! At infinite width (`--directions N`, the balanced law: the paper's) the sources are a lattice
//! of the sphere and each τ's certificate is that of the discretized problem; how far its α is
//! from fitting the data at infinite width is checked with an independent product rule, and
//! that number's own error with a lattice sixteen times finer (MATH §12).
//!
//! A row sends the fraction `share` of source `p`'s weight to the neuron `(a, w₁, w₂, b)` at its
//! actual scale, so `f(x) = Σ_rows ω_p·share·a (w₁x₁ + w₂x₂ + b)₊`; `fit.f[j][i]` is `f` at
//! `(x1[i], x2[j])`. Each τ is solved by the same solver as on the line ([`crate::solver`],
//! through [`crate::dual::plane::Plane`]), from the largest τ down, warm-started.

use crate::dual::DualProblem;
use crate::dual::geometry::Geometry;
use crate::dual::plane::Plane;
use crate::input::error::{Error, Result};
use crate::input::params::ValidPathParams;
use crate::input::plane_data::PlaneData;
use crate::dual::arrangement::Minimizer;
use crate::network::init::{Law, Width, plane_check_directions, plane_directions, plane_sphere_check_directions, plane_sphere_directions, sample_plane};
use crate::solver::{Solution, SolverSettings, solve};
use crate::limits::plane_kernel::plane_kernel_limit;
use crate::limits::plane_rich::{PlaneRichLimit, plane_rich_limit};
use crate::path::compare::sup_distance;
use crate::path::report::KernelLimitReport;
use serde::Serialize;

/// Grid points per axis of the drawn fit.
pub const GRID_POINTS: usize = 41;

/// From this many τ's on, the path is solved as two chains (the upper and lower halves).
pub const CHAINS_FROM: usize = 6;

/// The fit on a grid of the plane.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaneFit {
    /// Grid of the first input.
    pub x1: Vec<f64>,
    /// Grid of the second input.
    pub x2: Vec<f64>,
    /// `f[j][i] = f(x1[i], x2[j])`.
    pub f: Vec<Vec<f64>>,
}

/// The sampled initial measure at scale 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaneInitReport {
    /// Law name.
    pub law: &'static str,
    /// Symmetrized?
    pub symmetric: bool,
    /// `"sampled"` (finite width) or `"quadrature"` (infinite width, the balanced law).
    pub kind: &'static str,
    /// Number of neurons or directions.
    pub count: usize,
    /// Seed of a sampled initialization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// `ω_p`.
    pub weights: Vec<f64>,
    /// `θ_p = [a, w₁, w₂, b]`.
    pub neurons: Vec<[f64; 4]>,
}

/// The certified solution at one τ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaneTauReport {
    /// Initialization scale.
    pub tau: f64,
    /// Dual variables, one per data point.
    pub alpha: Vec<f64>,
    /// Primal value `P` of the reported measure.
    pub primal: f64,
    /// Dual value `D(α)`.
    pub dual: f64,
    /// `P − D`.
    pub gap: f64,
    /// `(P − D)/|P|`.
    pub relative_gap: f64,
    /// `max_i |f(x_i) − y_i + λα_i|`.
    pub residual: f64,
    /// Relative gap ≤ 1e-6 and residual ≤ 1e-9·max(1, max|y|) (or the sum's round-off).
    pub certified: bool,
    /// `W² = Σ ω_p share |θ − τθ_p|²`.
    pub transport_cost: f64,
    /// Sources whose weight is split between several neurons.
    pub split_sources: usize,
    /// Ascent steps.
    pub iterations: usize,
    /// Rows `[p, share, a, w₁, w₂, b]`.
    pub neurons: Vec<[f64; 6]>,
    /// `f_τ` on the grid.
    pub fit: PlaneFit,
    /// Infinite width (a quadrature): `max_i |f_α(x_i) − y_i|` with `f_α` integrated by the
    /// independent check rule ([`CHECK_NODES`]) — how far the quadrature's α is from fitting the
    /// data at infinite width.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infinite_width_residual: Option<f64>,
    /// The check's own error estimate: how far the same residual is with a second independent
    /// rule of another family (a Fibonacci lattice of [`CHECK_LATTICE`] directions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infinite_width_error: Option<f64>,
    /// `sup_grid |f_τ − f_K|`, the distance to the kernel limit (`null` when there is none).
    pub kernel_distance: Option<f64>,
    /// `sup_grid |f_τ − f_rich|`, the distance to the rich limit (`null` when there is none).
    pub rich_distance: Option<f64>,
}

/// Gauss–Legendre nodes in `u₃` of the infinite-width check rule
/// ([`crate::network::init::plane_check_directions`]: 4 × 128² directions).
pub const CHECK_NODES: usize = 128;

/// Directions of the check's second rule, a lattice far finer than the solve's.
pub const CHECK_LATTICE: usize = 65_536;

/// Nodes per coordinate of the check rule of the laws uniform on `S³` (gaussian, sphere):
/// [`crate::network::init::plane_sphere_check_directions`], `2k³` directions.
pub const CHECK_SPHERE_NODES: usize = 32;

/// The path's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanePathReport {
    /// Always 2.
    pub dim: u8,
    /// The data as given.
    pub data: PlaneData,
    /// λ.
    pub lambda: f64,
    /// The initial measure.
    pub init: PlaneInitReport,
    /// One entry per τ, in increasing τ.
    pub path: Vec<PlaneTauReport>,
    /// The kernel limit τ → ∞ of the same sources (`null` for an initialization whose function
    /// does not vanish at the data, or a kernel matrix that is singular).
    pub kernel_limit: Option<KernelLimitReport<PlaneFit>>,
    /// The rich limit τ → 0 (λ = 0 only; `null` otherwise).
    pub rich_limit: Option<PlaneRichLimit>,
}

/// `count` points from the least to the largest of `values`, widened by a tenth of the span
/// on each side (at least 0.1).
fn axis(values: impl Iterator<Item = f64> + Clone, count: usize) -> Vec<f64> {
    let lo = values.clone().fold(f64::INFINITY, f64::min);
    let hi = values.fold(f64::NEG_INFINITY, f64::max);
    let pad = (0.1 * (hi - lo)).max(0.1);
    let (lo, hi) = (lo - pad, hi + pad);
    (0..count).map(|k| lo + (hi - lo) * k as f64 / (count - 1) as f64).collect()
}

/// The drawn fit's grid of `data`: [`GRID_POINTS`] per axis over the data's range, widened
/// by a tenth of the span on each side (at least 0.1).
pub fn plane_grid(data: &PlaneData) -> (Vec<f64>, Vec<f64>) {
    plane_grid_of(data, GRID_POINTS)
}

/// [`plane_grid`] with `count` points per axis (at least 2).
pub fn plane_grid_of(data: &PlaneData, count: usize) -> (Vec<f64>, Vec<f64>) {
    (axis(data.x.iter().map(|p| p[0]), count), axis(data.x.iter().map(|p| p[1]), count))
}

/// `f(x) = Σ_k m_k φ(θ_k, x)` of the `terms` `(m_k, θ_k)` on `grid`.
pub fn plane_fit(terms: &[(f64, [f64; 4])], grid: &(Vec<f64>, Vec<f64>)) -> PlaneFit {
    let live: Vec<&(f64, [f64; 4])> = terms.iter().filter(|(m, th)| *m != 0.0 && th[0] != 0.0).collect();
    plane_fit_with(grid, |p| live.iter().map(|(m, th)| m * Plane::phi(*th, p)).sum())
}

/// A function `f` on `grid`: `f[j][i] = f(x1[i], x2[j])`.
pub fn plane_fit_with(grid: &(Vec<f64>, Vec<f64>), f: impl Fn([f64; 2]) -> f64) -> PlaneFit {
    let values = grid.1.iter().map(|&x2| grid.0.iter().map(|&x1| f([x1, x2])).collect()).collect();
    PlaneFit { x1: grid.0.clone(), x2: grid.1.clone(), f: values }
}

/// The initial measure of `params` in the plane at scale 1: `m` neurons sampled from the
/// law (finite width), or a quadrature of the law's directions (infinite width: the balanced
/// law's lattice of `S²`, or the uniform law on `S³` of the gaussian and sphere laws).
pub fn plane_init(params: &ValidPathParams) -> Result<PlaneInitReport> {
    let law = params.law();
    let (neurons, weights, seed, kind) = match params.width() {
        Width::Neurons { m, seed } => {
            let sources = sample_plane(law, params.symmetric(), m, seed)
                .ok_or_else(|| Error::Usage(format!("the law '{}' has no version for inputs in the plane (use gaussian, sphere or balanced)", law.name())))?;
            (sources, vec![1.0 / m as f64; m], Some(seed), "sampled")
        }
        Width::Directions(n) => {
            let (sources, weights) = match law {
                Law::Balanced if params.symmetric() => plane_directions(n.div_ceil(2)),
                Law::Gaussian | Law::Sphere => plane_sphere_directions(law, n),
                _ => {
                    return Err(Error::Usage(format!(
                        "inputs in the plane at infinite width: the balanced (paired), gaussian or sphere law, not '{}'{}; or --width M",
                        law.name(),
                        if law == Law::Balanced { " unpaired" } else { "" }
                    )));
                }
            };
            (sources, weights, None, "quadrature")
        }
    };
    Ok(PlaneInitReport { law: law.name(), symmetric: params.symmetric(), kind, count: neurons.len(), seed, weights, neurons })
}

/// Solves every τ of `params` for `data` (finite width `--width M`, or infinite width on a
/// quadrature, each τ then checked against an independent rule) as [`PlanePath`] orders them:
/// two chains from the largest τ of each half down, warm-started (natively on two threads);
/// `progress(done, total)` as τ's are done.
pub fn plane_path(data: &PlaneData, params: &ValidPathParams, mut progress: impl FnMut(usize, usize)) -> Result<PlanePathReport> {
    let mut path = PlanePath::new(data, params)?;
    let total = path.len();
    // Computed once, before the chains part: each solve reports its distance to them.
    let kernel_limit = path.kernel_limit();
    let rich_limit = path.rich_limit();
    let init = path.init.clone();
    let (mut upper, lower) = path.into_chains();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let run = |chain: &mut PlanePath, tell: &mut dyn FnMut(usize)| {
        let mut out = Vec::new();
        while let Some(r) = chain.step() {
            out.push(r);
            tell(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
        }
        out
    };
    // Natively the lower chain runs on a second thread; its numbers are the same either way.
    #[cfg(not(target_arch = "wasm32"))]
    let mut reports = std::thread::scope(|scope| {
        let other = lower.map(|mut chain| scope.spawn(move || run(&mut chain, &mut |_| {})));
        let mut reports = run(&mut upper, &mut |k| progress(k, total));
        if let Some(handle) = other {
            reports.extend(handle.join().unwrap_or_default());
        }
        reports
    });
    #[cfg(target_arch = "wasm32")]
    let mut reports = {
        let mut reports = run(&mut upper, &mut |k| progress(k, total));
        if let Some(mut chain) = lower {
            reports.extend(run(&mut chain, &mut |k| progress(k, total)));
        }
        reports
    };
    if reports.len() < total {
        return Err(Error::Usage("internal error: a chain of the path in the plane stopped early".into()));
    }
    progress(total, total);
    reports.sort_by(|a, b| a.tau.total_cmp(&b.tau));
    Ok(PlanePathReport { dim: 2, data: data.clone(), lambda: params.lambda(), init, path: reports, kernel_limit, rich_limit })
}

/// The path in the plane, solved one τ per [`step`](PlanePath::step), from the largest τ down
/// (so that a caller can show each τ as it comes, and stop).
#[derive(Debug, Clone)]
pub struct PlanePath {
    /// The initial measure at scale 1.
    pub init: PlaneInitReport,
    lambda: f64,
    /// The distinct points, their labels, and for each data point the index of its distinct point
    /// and how many data points share it.
    points: Vec<[f64; 2]>,
    y: Vec<f64>,
    index: Vec<usize>,
    count: Vec<usize>,
    grid: (Vec<f64>, Vec<f64>),
    /// The τ in the order they are solved: two chains, each decreasing — the upper half of the
    /// τ's from the largest, then the lower half from its largest, which starts from `α = 0`
    /// (so that natively the two can run on two threads with the same numbers); `next` is the
    /// index of the next to solve, `cold` that of the lower chain's first.
    taus: Vec<f64>,
    next: usize,
    cold: usize,
    /// The last solved τ and its α (of the distinct points): the next warm start.
    last: Option<(f64, Vec<f64>)>,
    /// Infinite width: the check's two independent rules.
    check: Option<(Rule, Rule)>,
    /// The kernel limit on the grid, once computed (the outer `None`: not yet).
    kernel: Option<Option<KernelLimitReport<PlaneFit>>>,
    /// The rich limit likewise.
    rich: Option<Option<PlaneRichLimit>>,
    /// Distances to the limits only once they are computed ([`PlanePath::set_lazy_limits`]).
    lazy_limits: bool,
}

/// A rule of the sphere: sources and weights.
type Rule = (Vec<[f64; 4]>, Vec<f64>);

impl PlanePath {
    /// Validated data and parameters in, nothing solved yet.
    pub fn new(data: &PlaneData, params: &ValidPathParams) -> Result<PlanePath> {
        let init = plane_init(params)?;
        let check = (init.kind == "quadrature").then(|| match params.law() {
            Law::Balanced => (plane_check_directions(CHECK_NODES), plane_directions(CHECK_LATTICE / 2)),
            law => (plane_sphere_check_directions(law, CHECK_SPHERE_NODES), plane_sphere_directions(law, CHECK_LATTICE)),
        });
        let (points, index) = data.distinct(params.lambda())?;
        let mut y = vec![0.0; points.len()];
        let mut count = vec![0usize; points.len()];
        for (i, &k) in index.iter().enumerate() {
            y[k] = data.y[i];
            count[k] += 1;
        }
        let mut taus = params.taus().to_vec();
        taus.sort_by(|a, b| b.total_cmp(a));
        // Two chains from CHAINS_FROM τ's on: the upper one holds the larger half.
        let cold = if taus.len() >= CHAINS_FROM { taus.len().div_ceil(2) } else { taus.len() };
        Ok(PlanePath { init, lambda: params.lambda(), points, y, index, count, grid: plane_grid(data), taus, next: 0, cold, last: None, check, kernel: None, rich: None, lazy_limits: false })
    }

    /// Number of τ.
    pub fn len(&self) -> usize {
        self.taus.len()
    }

    /// The kernel limit τ → ∞ of the same sources on the path's grid
    /// ([`crate::limits::plane_kernel`]).
    pub fn kernel_limit(&mut self) -> Option<KernelLimitReport<PlaneFit>> {
        self.limits().0.cloned()
    }

    /// Both limits, computed on first use and kept: the kernel limit and the rich limit.
    fn limits(&mut self) -> (Option<&KernelLimitReport<PlaneFit>>, Option<&PlaneRichLimit>) {
        if self.kernel.is_none() {
            let kind = if self.init.kind == "quadrature" { "quadrature" } else { "empirical" };
            self.kernel = Some(plane_kernel_limit(&self.init.neurons, &self.init.weights, &self.points, &self.y, &self.grid, kind));
        }
        if self.rich.is_none() {
            self.rich = Some(if self.lambda == 0.0 { plane_rich_limit(&self.points, &self.y, &self.grid) } else { None });
        }
        (self.kernel.as_ref().and_then(Option::as_ref), self.rich.as_ref().and_then(Option::as_ref))
    }

    /// Computes the limits only when asked ([`kernel_limit`](Self::kernel_limit),
    /// [`rich_limit`](Self::rich_limit)), not with the first τ: the τ's solved before carry no
    /// distances to them until [`measure_distances`](Self::measure_distances) is called (the lab
    /// shows its first map sooner).
    pub fn set_lazy_limits(&mut self) {
        self.lazy_limits = true;
    }

    /// Fills `r`'s distances to the limits (computing the limits if need be).
    pub fn measure_distances(&mut self, r: &mut PlaneTauReport) {
        let fit = r.fit.f.concat();
        let (kernel, rich) = self.limits();
        r.kernel_distance = kernel.map(|k| sup_distance(&fit, &k.fit.f.concat()));
        r.rich_distance = rich.map(|k| sup_distance(&fit, &k.fit.f.concat()));
    }

    /// The rich limit τ → 0 on the path's grid ([`crate::limits::plane_rich`]; at λ = 0 only).
    pub fn rich_limit(&mut self) -> Option<PlaneRichLimit> {
        self.limits().1.cloned()
    }

    /// Draws the fits on [`plane_grid_of`]`(data, count)` instead of the CLI's grid.
    pub fn set_grid_points(&mut self, data: &PlaneData, count: usize) {
        self.grid = plane_grid_of(data, count.max(2));
        (self.kernel, self.rich) = (None, None);
    }

    /// Whether there is no τ at all.
    pub fn is_empty(&self) -> bool {
        self.taus.is_empty()
    }

    /// The two chains as paths of their own (the lower one `None` when there is a single chain),
    /// each solving what [`step`](Self::step) would, with the same numbers.
    pub fn into_chains(self) -> (PlanePath, Option<PlanePath>) {
        if self.cold >= self.taus.len() || self.next > 0 {
            return (self, None);
        }
        let mut upper = self;
        let mut lower = upper.clone();
        lower.taus = upper.taus.split_off(upper.cold);
        (lower.next, lower.cold, upper.cold) = (0, lower.taus.len(), upper.taus.len());
        (upper, Some(lower))
    }

    /// Solves the next τ in the order of the chains, warm-started from the last solution's `α`
    /// as it is or rescaled by `(τ_prev/τ)²` (exact in the kernel regime), whichever has the
    /// larger `D` (the lower chain's first from `α = 0`); `None` when every τ is done.
    pub fn step(&mut self) -> Option<PlaneTauReport> {
        let &tau = self.taus.get(self.next)?;
        if self.next == self.cold {
            self.last = None;
        }
        self.next += 1;
        let problem = DualProblem::plane(&self.points, &self.y, self.lambda, tau, self.init.neurons.clone(), self.init.weights.clone());
        let start = match &self.last {
            None => vec![0.0; self.points.len()],
            Some((t_prev, a)) => {
                let rescaled: Vec<f64> = a.iter().map(|v| v * (t_prev / tau).powi(2)).collect();
                let (d_same, d_rescaled) = (problem.evaluate(a).value, problem.evaluate(&rescaled).value);
                if d_rescaled > d_same { rescaled } else { a.clone() }
            }
        };
        let sol = solve(&problem, &start, SolverSettings::default());
        let alpha: Vec<f64> = self.index.iter().map(|&k| sol.eval.alpha[k] / self.count[k] as f64).collect();
        let mut r = report(&problem, &sol, alpha, &self.grid);
        if let Some(((t1, w1), (t2, w2))) = &self.check {
            let (first, second) = (check_residual(&problem, &sol.eval.alpha, t1, w1), check_residual(&problem, &sol.eval.alpha, t2, w2));
            r.infinite_width_residual = Some(first);
            r.infinite_width_error = Some((first - second).abs());
        }
        if !self.lazy_limits || (self.kernel.is_some() && self.rich.is_some()) {
            self.measure_distances(&mut r);
        }
        self.last = Some((tau, sol.eval.alpha));
        Some(r)
    }
}

/// `max_i |f_α(x_i) − y_i|` with `f_α = τ² Σ_q ω_q φ(θ*_α(t_q), ·)` over the check rule `(t, w)`.
fn check_residual(problem: &DualProblem<Plane>, alpha: &[f64], t: &[[f64; 4]], w: &[f64]) -> f64 {
    let minimizer = Minimizer::new(problem.geometry.arrangement(), alpha);
    let tau2 = problem.tau * problem.tau;
    let mut fit = vec![0.0; problem.x.len()];
    for (tq, wq) in t.iter().zip(w) {
        let th = minimizer.best(tq).theta;
        if th[0] == 0.0 {
            continue;
        }
        for (f, x) in fit.iter_mut().zip(&problem.x) {
            *f += tau2 * wq * Plane::phi(th, *x);
        }
    }
    fit.iter().zip(&problem.y).map(|(f, y)| (f - y).abs()).fold(0.0, f64::max)
}

/// The report of `sol`, with `alpha` given per data point and the fit on `grid`.
fn report(problem: &DualProblem<Plane>, sol: &Solution<Plane>, alpha: Vec<f64>, grid: &(Vec<f64>, Vec<f64>)) -> PlaneTauReport {
    let tau = problem.tau;
    let rows: Vec<[f64; 6]> = sol
        .measure
        .rows
        .iter()
        .map(|r| {
            let th = r.choice.theta;
            [r.source as f64, r.share, tau * th[0], tau * th[1], tau * th[2], tau * th[3]]
        })
        .collect();
    // f(x) = Σ τ²ω share a (w·x)₊ at unit scale, the neurons' function.
    let terms: Vec<(f64, [f64; 4])> = sol.measure.rows.iter().map(|r| (tau * tau * problem.weights[r.source] * r.share, r.choice.theta)).collect();
    PlaneTauReport {
        tau,
        alpha,
        primal: sol.measure.primal,
        dual: sol.eval.value,
        gap: sol.gap,
        relative_gap: sol.relative_gap,
        residual: sol.measure.residual,
        certified: sol.certified,
        transport_cost: sol.measure.transport,
        split_sources: sol.measure.split_sources,
        iterations: sol.iterations,
        neurons: rows,
        fit: plane_fit(&terms, grid),
        infinite_width_residual: None,
        infinite_width_error: None,
        kernel_distance: None,
        rich_distance: None,
    }
}
