//! The optimization path (MATH §3): full-batch gradient descent on a finite network started at
//! scale τ, whose final state the scaling path is compared with (MATH §8, §10).
//!
//! Neurons `θ_j = (a_j, w_j, b_j)` with weights `ω_j` (the [`InitialMeasure`]'s: `1/m` for `m`
//! sampled neurons) compute `f_θ(x) = Σ_j ω_j φ(θ_j, x)`, `φ(θ, x) = a (w x + b)₊`. From
//! `θ_j(0) = τ θ̄_j` gradient descent on
//!
//! `L(θ) = (1/2n) Σ_i r_i²`,   `r_i = f_θ(x_i) − y_i`,
//!
//! moves every neuron in mean-field time (the factor `1/ω_j = m` is absorbed in `η`):
//!
//! `θ_j ← θ_j − η g_j`,   `g_j = (1/n) Σ_i r_i ∇_θφ(θ_j, x_i) = ∇_{θ_j} L / ω_j`,
//! `∇_θφ(θ, x) = ((w x + b)₊, a x 1{w x + b > 0}, a 1{w x + b > 0})`
//!
//! (the subgradient at a kink is taken as 0, as in [`crate::network::model::phi`]). Its transport cost is
//! `W_gd = Σ_j ω_j |θ_j − τθ̄_j|²`.
//!
//! **Step size.** The Hessian of `L` in these coordinates is `K/n` (on the span of the
//! gradients) plus blocks `(1/n) Σ_i r_i ∇²φ(θ_j, x_i)` of norm at most `(1/n) Σ_i |r_i| |x̃_i|`
//! (`x̃ = (x, 1)`), where `K(x, x') = Σ_j ω_j ∇φ(θ_j, x)·∇φ(θ_j, x')` is the tangent kernel,
//! whose Gram matrix on the data grows by orders of magnitude from a small τ. Each step uses
//!
//! `η = 0.9 n / (λ̂ + 10 Σ_i |r_i| |x̃_i|)`
//!
//! ([`GdSettings`]), where `λ̂` follows `λ_max(K_t)`: its exact value (Householder reduction
//! and Sturm bisection, from above) every `max(8, n)` steps and after any step that increased
//! the loss, and in between `min(trace K_t, λ_s · max(1, trace K_t / trace K_s))` with `s` the
//! last exact evaluation — the trace bounds `λ_max` from above and is computed with every step.
//! Near interpolation the residual term vanishes and `η → 0.9 n / λ_max`, the stable step the
//! kernel allows (its stability limit is `2n/λ_max`). Far from it — at small τ, where
//! `K_0 = τ²K` is tiny — the residual term bounds the step: a small neuron grows by at most
//! 9 % per step, so the run is stable from τ = 1e-3 to 1e3 and its rich-regime dynamics (the
//! escape from the saddle at 0, the alignment of the neurons) follow the gradient flow.
//!
//! **The loss is not monotone.** Where a kink crosses a data point `L` is only piecewise smooth;
//! in the rich regime the gradient flow *slides* along such creases and gradient descent
//! zigzags across them, with bumps of the loss of up to about a percent (measured; they shrink in
//! proportion to `η`). A step that would multiply the loss by more than [`MAX_INCREASE`] (a step
//! beyond the local stability limit) is rejected and retried with half the step; the factor
//! recovers by ×2 per accepted step. Everything is deterministic: a step budget, never a clock.
//!
//! **Stopping.** Converged when `L ≤ 1e-12 · mean(y²)` (for `y ≡ 0`: `1e-12 · mean(f_0(X)²)`,
//! the initial function's scale); stalled when the gradient vanishes exactly (a stationary point
//! such as every neuron dead on an unfitted point) or [`MAX_REJECTIONS`] steps in a row are
//! rejected; otherwise the caller's step budget ends the run.
//!
//! **A stall GD cannot leave.** The fit is piecewise linear with kinks only where neurons have
//! theirs, and a kink moves only continuously. When no neuron has its kink between three or more
//! consecutive data points, the fit is one straight line across them; if they are not on a
//! line, the loss settles on a plateau (near a spurious stationary point: the kinks nearby sit
//! at the edge of the empty stretch, and one would have to cross a data point to bend the fit
//! inside it). Such a run is reported as stalled rather than spun to its budget; how long
//! such plateaus last is measured in `docs/MATH.md` §3. Every
//! [`PLATEAU_WINDOW`] steps the run compares its loss with the last check's: when it fell by at
//! most [`PLATEAU_DECREASE`] relatively *and* such an empty stretch carries a residual, the
//! run is stalled with that stretch as the reason ([`StallReason::NoKinkBetween`]). A slow
//! phase of the rich regime (a small neuron growing away from a saddle) is not mistaken for
//! one: there the neurons that will bend the fit already sit in the stretch.
//!
//! **One step in `O(m n)` cheap operations.** In floating point `w x + b` is monotone in `x`,
//! so the points where a neuron is active are a prefix (`w < 0`) or a suffix (`w ≥ 0`) of the
//! sorted data: a neuron is summarized by a *bin* (side and count). With prefix and suffix sums
//! of `r_i` and `r_i x_i`, the backward pass is `O(1)` per neuron
//! (`Σ_act r_i (w x_i + b) = w Σ_act r_i x_i + b Σ_act r_i`); the update follows; the forward
//! pass at the new point counts its active points (`n` comparisons, vectorized over
//! [`LANES`] neurons) and adds `ω a (w, b)` and `ω (w² + a², w b, b² + a²)` to its bin. Then,
//! in `O(n)`, `f(x_p) = x_p Σ w-part + Σ b-part` over the bins active at `x_p`, `trace K`, and
//! (when needed, `O(n²)`) the whole Gram matrix
//! `K_pq = Σ_{bins active at p and q} [(w² + a²) x_p x_q + w b (x_p + x_q) + b² + a²]`.
//! Neurons are stored `LANES` at a time, as the fixed initial point `τθ̄` plus the displacement
//! `θ − τθ̄` (so that `W_gd` keeps its relative accuracy at large τ, where the displacement is
//! tiny), padded with inert zero neurons of weight 0. The candidate state lives in a second
//! buffer and replaces the current one when accepted. No allocation per step.

use crate::input::data::Data;
use crate::input::error::{Error, Result};
use crate::input::params::{Grid, PathParams, ValidPathParams, check_tau};
use crate::network::init::{InitialMeasure, Law, Width};
use crate::network::model::evaluate_sorted;
use crate::path::report::{Fit, InitReport};
use serde::Serialize;

mod control;
pub mod plane;

use control::{Control, Descent};

/// Neurons processed together in the inner loop (the compiler vectorizes over them).
pub const LANES: usize = 4;
/// One value per lane.
type Lanes = [f64; LANES];
/// `LANES` neurons: their `a`, `w` and `b`, each over the lanes.
type Block = [Lanes; 3];
/// Per bin: `Σ ω a w`, `Σ ω a b`, `Σ ω (w² + a²)`, `Σ ω w b`, `Σ ω (b² + a²)` of its neurons.
type Coefficients = [f64; 5];

/// `θ = τθ̄ + displacement` of a block.
#[inline(always)]
fn theta(start: &Block, disp: &Block) -> Block {
    std::array::from_fn(|k| std::array::from_fn(|l| start[k][l] + disp[k][l]))
}

/// A step may multiply the loss by at most this factor; a larger increase is rejected.
pub const MAX_INCREASE: f64 = 1.5;
/// Converged when `L ≤ CONVERGED · mean(y²)`.
pub const CONVERGED: f64 = 1e-12;
/// Stalled after this many rejected steps in a row (the step has shrunk by `2^-60`).
pub const MAX_REJECTIONS: usize = 60;
/// Default step budget per τ of [`GdParams`].
pub const DEFAULT_MAX_STEPS: usize = 1_000_000;
/// Largest step budget per τ.
pub const MAX_STEPS: usize = 100_000_000;

/// Steps between two checks for a plateau of the loss.
pub const PLATEAU_WINDOW: usize = 1000;
/// A plateau: the loss fell by at most this fraction over [`PLATEAU_WINDOW`] steps.
pub const PLATEAU_DECREASE: f64 = 1e-10;

/// Why a run stalled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StallReason {
    /// The gradient vanishes to the last bit (every coordinate of every neuron).
    GradientVanished,
    /// The step has shrunk to nothing ([`MAX_REJECTIONS`] rejected steps in a row).
    StepVanished,
    /// No neuron has its kink strictly between the data points `from < … < to` (`points` of
    /// them, not on one line): the fit is one straight line there, on a plateau of the loss.
    NoKinkBetween {
        /// The first point of the stretch.
        from: f64,
        /// The last point of the stretch.
        to: f64,
        /// How many distinct data abscissas the stretch holds (at least 3).
        points: usize,
    },
}

impl StallReason {
    /// The reason in words, for the CLI's report and the lab.
    pub fn message(self) -> String {
        match self {
            StallReason::GradientVanished => "the gradient vanishes: no neuron can move".to_string(),
            StallReason::StepVanished => "every step made the loss grow, down to a vanishing step".to_string(),
            StallReason::NoKinkBetween { from, to, points } => {
                format!("no neuron can bend between x = {from} and x = {to}: the fit is a straight line through those {points} points")
            }
        }
    }
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Not converged yet; more steps may be taken.
    Running,
    /// `L ≤ 1e-12 · mean(y²)`.
    Converged,
    /// No progress is possible: the gradient vanishes, or the step has shrunk to nothing.
    Stalled,
}

/// The step-size rule `η = step_fraction · n / (λ̂ + residual_weight · Σ_i |r_i| |x̃_i|)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GdSettings {
    /// Fraction of the kernel's stability limit `2n/λ_max` taken near interpolation, in `(0, 2)`.
    pub step_fraction: f64,
    /// Weight of the residual term, `> 0`: at 1 the step is just stable while the residual is
    /// large; at 10 (the default) a small neuron grows by at most 9 % per step, so that the
    /// rich-regime dynamics follow the gradient flow.
    pub residual_weight: f64,
}

impl Default for GdSettings {
    fn default() -> GdSettings {
        GdSettings { step_fraction: 0.9, residual_weight: 10.0 }
    }
}

impl GdSettings {
    /// Checks `0 < step_fraction < 2` and `residual_weight > 0` (finite).
    pub fn check(self) -> Result<GdSettings> {
        let out = |name: &'static str, value: f64, max: &str| Error::OutOfRange { name, value: value.to_string(), min: "0 (excluded)".into(), max: max.into() };
        if !(self.step_fraction > 0.0 && self.step_fraction < 2.0) {
            return Err(out("step fraction", self.step_fraction, "2 (excluded)"));
        }
        if !(self.residual_weight > 0.0 && self.residual_weight.is_finite()) {
            return Err(out("residual weight", self.residual_weight, "any finite number"));
        }
        Ok(self)
    }
}

/// Gradient descent from `τθ̄` on one data set, one step at a time (see the module docs).
#[derive(Debug, Clone)]
pub struct GradientDescent {
    tau: f64,
    /// Number of data points.
    n: usize,
    /// Number of (real) neurons.
    m: usize,
    /// The data sorted by `x`, and the original index of each sorted point.
    x: Vec<f64>,
    y: Vec<f64>,
    order: Vec<usize>,
    /// `|x̃_p|`.
    xnorm: Vec<f64>,
    /// `ω_j` of the real neurons, and per block (0 for padding).
    weights: Vec<f64>,
    omega: Vec<Lanes>,
    /// The initial point `τθ̄`, the displacement `θ − τθ̄` and the candidate displacement.
    start: Vec<Block>,
    disp: Vec<Block>,
    next: Vec<Block>,
    /// Each neuron's bin at the current state and at the candidate.
    bins: Vec<[u32; LANES]>,
    bins_next: Vec<[u32; LANES]>,
    /// The bins' coefficients at the current state and at the candidate.
    coef: Vec<Coefficients>,
    coef_next: Vec<Coefficients>,
    /// `Σ_act r_p` and `Σ_act r_p x_p` per bin at the current state.
    sum_r: Vec<f64>,
    sum_rx: Vec<f64>,
    /// `f(x_p)` and `r_p` at the current state (sorted order); `f` at the candidate.
    f: Vec<f64>,
    r: Vec<f64>,
    f_next: Vec<f64>,
    loss: f64,
    /// `trace K` at the current state and at the candidate.
    trace: f64,
    trace_next: f64,
    /// Scratch: cumulative bin sums, the Gram matrix and the eigenvalue computation's vectors.
    sums: [Vec<Coefficients>; 2],
    kernel: Vec<f64>,
    scratch: [Vec<f64>; 4],
    /// The step rule and where the run stands.
    control: Control,
}

impl GradientDescent {
    /// Prepares gradient descent on `(x, y)` from the neurons of `init` scaled by `tau`, with
    /// the weights `ω_j` of `init`. The data must be valid for interpolation (finite, `x` and
    /// `y` of the same nonzero length, equal `x` only with equal `y`, at most
    /// [`crate::input::params::MAX_POINTS`] points); `tau` finite and positive.
    pub fn new(x: &[f64], y: &[f64], init: &InitialMeasure, tau: f64) -> Result<GradientDescent> {
        GradientDescent::with_settings(x, y, init, tau, GdSettings::default())
    }

    /// [`new`](Self::new) with another step-size rule.
    pub fn with_settings(x: &[f64], y: &[f64], init: &InitialMeasure, tau: f64, settings: GdSettings) -> Result<GradientDescent> {
        let settings = settings.check()?;
        let data = Data::new(x.to_vec(), y.to_vec())?;
        crate::input::params::check_data(&data, 0.0)?;
        check_tau(tau)?;
        if init.is_empty() || init.weights.len() != init.len() {
            let max = crate::input::params::MAX_WIDTH.to_string();
            return Err(Error::OutOfRange { name: "width", value: init.len().to_string(), min: "1".into(), max });
        }
        let (n, m) = (x.len(), init.len());
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&i, &j| x[i].total_cmp(&x[j]).then(i.cmp(&j)));
        let blocks = m.div_ceil(LANES);
        let mut start = vec![[[0.0; LANES]; 3]; blocks];
        let mut omega = vec![[0.0; LANES]; blocks];
        for (j, (t, &w)) in init.neurons.iter().zip(&init.weights).enumerate() {
            for k in 0..3 {
                start[j / LANES][k][j % LANES] = tau * t[k];
            }
            omega[j / LANES][j % LANES] = w;
        }
        let bins = 2 * (n + 1);
        let zeros = vec![[[0.0; LANES]; 3]; blocks];
        let mut gd = GradientDescent {
            tau,
            n,
            m,
            x: order.iter().map(|&i| x[i]).collect(),
            y: order.iter().map(|&i| y[i]).collect(),
            xnorm: order.iter().map(|&i| f64::sqrt(1.0 + x[i] * x[i])).collect(),
            order,
            weights: init.weights.clone(),
            omega,
            start,
            disp: zeros.clone(),
            next: zeros,
            bins: vec![[0; LANES]; blocks],
            bins_next: vec![[0; LANES]; blocks],
            coef: vec![[0.0; 5]; bins],
            coef_next: vec![[0.0; 5]; bins],
            sum_r: vec![0.0; bins],
            sum_rx: vec![0.0; bins],
            f: vec![0.0; n],
            r: vec![0.0; n],
            f_next: vec![0.0; n],
            loss: 0.0,
            trace: 0.0,
            trace_next: 0.0,
            sums: [vec![[0.0; 5]; n], vec![[0.0; 5]; n]],
            kernel: vec![0.0; n * n],
            scratch: std::array::from_fn(|_| vec![0.0; n]),
            control: Control::new(settings, n),
        };
        gd.begin(y);
        Ok(gd)
    }

    /// Takes up to `k` more steps, stopping early when converged or stalled; returns the status.
    pub fn advance(&mut self, k: usize) -> Status {
        self.advance_by(k)
    }

    /// Runs until converged, stalled, or `steps() == max_steps` (counting steps already taken).
    pub fn run(&mut self, max_steps: usize) -> Status {
        self.advance(max_steps.saturating_sub(self.control.steps))
    }

    /// Makes the candidate state current: residuals, loss and the per-bin sums of the residuals.
    fn accept_candidate(&mut self) {
        std::mem::swap(&mut self.disp, &mut self.next);
        std::mem::swap(&mut self.bins, &mut self.bins_next);
        std::mem::swap(&mut self.coef, &mut self.coef_next);
        std::mem::swap(&mut self.f, &mut self.f_next);
        self.trace = self.trace_next;
        let n = self.n;
        for p in 0..n {
            self.r[p] = self.f[p] - self.y[p];
        }
        self.loss = self.r.iter().map(|r| r * r).sum::<f64>() / (2.0 * n as f64);
        // Bin c ≤ n: the prefix [0, c); bin n + 1 + s: the suffix [s, n).
        let (mut r1, mut rx) = (0.0, 0.0);
        for c in 0..=n {
            self.sum_r[c] = r1;
            self.sum_rx[c] = rx;
            if c < n {
                r1 += self.r[c];
                rx += self.r[c] * self.x[c];
            }
        }
        let (mut r1, mut rx) = (0.0, 0.0);
        for s in (0..=n).rev() {
            if s < n {
                r1 += self.r[s];
                rx += self.r[s] * self.x[s];
            }
            self.sum_r[n + 1 + s] = r1;
            self.sum_rx[n + 1 + s] = rx;
        }
    }

    /// The stretch of at least three consecutive distinct data abscissas with no neuron's kink
    /// strictly between them whose largest residual is largest (and above `√target`), if any.
    pub fn kinkless_stretch(&self) -> Option<StallReason> {
        let mut xs: Vec<f64> = Vec::with_capacity(self.n);
        let mut worst: Vec<f64> = Vec::with_capacity(self.n);
        for (&x, &r) in self.x.iter().zip(&self.r) {
            match xs.last() {
                Some(&last) if last == x => {
                    let k = worst.len() - 1;
                    worst[k] = worst[k].max(r.abs());
                }
                _ => {
                    xs.push(x);
                    worst.push(r.abs());
                }
            }
        }
        // occupied[g]: some neuron's kink lies strictly between xs[g] and xs[g + 1].
        let mut occupied = vec![false; xs.len().saturating_sub(1)];
        for [_, w, b] in self.neurons() {
            if w == 0.0 {
                continue;
            }
            let kink = -b / w;
            let g = xs.partition_point(|&x| x < kink);
            if g >= 1 && g < xs.len() && kink < xs[g] {
                occupied[g - 1] = true;
            }
        }
        let floor = self.control.target.sqrt();
        let mut best: Option<(f64, StallReason)> = None;
        let mut start = 0;
        for end in 0..xs.len() {
            // The stretch xs[start..=end] has no kink inside; it ends at an occupied gap or the last point.
            if end + 1 < xs.len() && !occupied[end] {
                continue;
            }
            let points = end + 1 - start;
            let r = worst[start..=end].iter().fold(0.0f64, |m, &v| m.max(v));
            if points >= 3 && r > floor && best.as_ref().is_none_or(|(b, _)| r > *b) {
                best = Some((r, StallReason::NoKinkBetween { from: xs[start], to: xs[end], points }));
            }
            start = end + 1;
        }
        best.map(|(_, reason)| reason)
    }

    /// One pass over the neurons: the candidate displacement `next = disp − η g` (`g` at the
    /// current state, from its bins), then the candidate's bins and their coefficients, and
    /// from those `f(X)` and `trace K` at the candidate. Returns whether any coordinate changed.
    fn candidate_pass(&mut self, eta: f64) -> bool {
        let n = self.n;
        let scale = eta / n as f64;
        let (xs, sum_r, sum_rx) = (&self.x, &self.sum_r, &self.sum_rx);
        let coef = &mut self.coef_next;
        coef.fill([0.0; 5]);
        let mut moved = false;
        let blocks = self.start.iter().zip(&self.disp).zip(&self.omega).zip(&self.bins).zip(self.next.iter_mut().zip(self.bins_next.iter_mut()));
        for ((((start, disp), om), bins), (next, bins_next)) in blocks {
            let [a, w, b] = theta(start, disp);
            // Backward: Σ_act r_i (w x_i + b) = w Σ_act r_i x_i + b Σ_act r_i; g = (1/n)(·, a Σ r x, a Σ r).
            for l in 0..LANES {
                let (r1, rx) = (sum_r[bins[l] as usize], sum_rx[bins[l] as usize]);
                let g = [w[l] * rx + b[l] * r1, a[l] * rx, a[l] * r1];
                for k in 0..3 {
                    next[k][l] = disp[k][l] - scale * g[k];
                    moved |= next[k][l] != disp[k][l];
                }
            }
            // Forward: count the active points of the candidate, then add it to its bin.
            let [a, w, b] = theta(start, next);
            let mut count = [0u32; LANES];
            for &xp in xs {
                for l in 0..LANES {
                    count[l] += (w[l] * xp + b[l] > 0.0) as u32;
                }
            }
            for l in 0..LANES {
                let bin = if w[l] < 0.0 { count[l] as usize } else { 2 * n + 1 - count[l] as usize };
                bins_next[l] = bin as u32;
                let (oa, a2) = (om[l] * a[l], a[l] * a[l]);
                let c = &mut coef[bin];
                c[0] += oa * w[l];
                c[1] += oa * b[l];
                c[2] += om[l] * (w[l] * w[l] + a2);
                c[3] += om[l] * (w[l] * b[l]);
                c[4] += om[l] * (b[l] * b[l] + a2);
            }
        }
        self.trace_next = summarize(&self.coef_next, &self.x, &mut self.f_next, &mut self.sums);
        moved
    }

    /// Neuron `j`: `θ_j = τθ̄_j + displacement_j`.
    fn neuron(&self, j: usize) -> [f64; 3] {
        let (q, l) = (j / LANES, j % LANES);
        std::array::from_fn(|k| self.start[q][k][l] + self.disp[q][k][l])
    }

    /// Initialization scale τ.
    pub fn tau(&self) -> f64 {
        self.tau
    }
    /// Steps taken (accepted).
    pub fn steps(&self) -> usize {
        self.control.steps
    }
    /// Steps rejected because they would have increased the loss by more than [`MAX_INCREASE`]
    /// (not counted in [`steps`](Self::steps)).
    pub fn rejected_steps(&self) -> usize {
        self.control.rejected
    }
    /// `L(θ) = (1/2n) Σ_i (f(x_i) − y_i)²` at the current state.
    pub fn loss(&self) -> f64 {
        self.loss
    }
    /// The loss at which the run counts as converged.
    pub fn target_loss(&self) -> f64 {
        self.control.target
    }
    /// Where the run stands.
    pub fn status(&self) -> Status {
        self.control.status
    }
    /// Why the run stalled (when it did).
    pub fn stall_reason(&self) -> Option<StallReason> {
        self.control.stall
    }
    /// `η` of the last accepted step (0 before the first).
    pub fn step_size(&self) -> f64 {
        self.control.step_size
    }
    /// `f(x_i)` at the current state, in the order of the data.
    pub fn fit_at_data(&self) -> Vec<f64> {
        self.unsort(&self.f)
    }
    /// `r_i = f(x_i) − y_i` at the current state, in the order of the data.
    pub fn residuals(&self) -> Vec<f64> {
        self.unsort(&self.r)
    }
    /// `max_i |r_i|`.
    pub fn max_residual(&self) -> f64 {
        self.r.iter().fold(0.0, |m, r| m.max(r.abs()))
    }
    /// The last exact `λ_max` of the tangent kernel's Gram matrix (refreshed every few steps).
    pub fn kernel_top_eigenvalue(&self) -> f64 {
        self.control.lambda_exact
    }
    /// The Gram matrix `K(x_i, x_k)` of the tangent kernel at the current state, row-major in
    /// the order of the data.
    pub fn tangent_kernel(&self) -> Vec<f64> {
        let n = self.n;
        let mut sorted = vec![0.0; n * n];
        gram_matrix(&self.coef, &self.x, &mut sorted, &mut [vec![[0.0; 5]; n], vec![[0.0; 5]; n]]);
        let mut k = vec![0.0; n * n];
        for p in 0..n {
            for q in 0..n {
                k[self.order[p] * n + self.order[q]] = sorted[p * n + q];
            }
        }
        k
    }
    /// Transport cost `W_gd = Σ_j ω_j |θ_j − τθ̄_j|²` of the current state.
    pub fn transport_cost(&self) -> f64 {
        let mut total = 0.0;
        for (disp, om) in self.disp.iter().zip(&self.omega) {
            for l in 0..LANES {
                total += om[l] * (disp[0][l] * disp[0][l] + disp[1][l] * disp[1][l] + disp[2][l] * disp[2][l]);
            }
        }
        total
    }
    /// The current neurons `θ_j = (a, w, b)`, in the order of the initial measure.
    pub fn neurons(&self) -> Vec<[f64; 3]> {
        (0..self.m).map(|j| self.neuron(j)).collect()
    }
    /// The neurons' weights `ω_j`.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }
    /// `∇_{θ_j} L = ω_j (1/n) Σ_i r_i ∇_θφ(θ_j, x_i)` at the current state, by the direct sum
    /// over the data (a step moves neuron `j` by `−η/ω_j` times this).
    pub fn gradient(&self) -> Vec<[f64; 3]> {
        (0..self.m)
            .map(|j| {
                let [a, w, b] = self.neuron(j);
                let mut g = [0.0; 3];
                for (&x, &r) in self.x.iter().zip(&self.r) {
                    let z = w * x + b;
                    if z > 0.0 {
                        g[0] += r * z;
                        g[1] += r * a * x;
                        g[2] += r * a;
                    }
                }
                g.map(|v| self.weights[j] * v / self.n as f64)
            })
            .collect()
    }
    /// `f_θ` on `grid`.
    pub fn fit(&self, grid: &[f64]) -> Vec<f64> {
        evaluate_sorted(&self.neurons(), self.weights(), grid)
    }

    /// A sorted-order vector in the order of the data.
    fn unsort(&self, v: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.n];
        for (p, &i) in self.order.iter().enumerate() {
            out[i] = v[p];
        }
        out
    }

    /// The current state as reported by the CLI; `max_steps` is the budget the run had.
    pub fn report(&self, grid: &[f64], max_steps: usize) -> GdRun {
        let stretch = match self.control.stall {
            Some(StallReason::NoKinkBetween { from, to, .. }) => Some((from, to)),
            _ => None,
        };
        let fit = Fit { x: grid.to_vec(), y: self.fit(grid) };
        self.control.run_report(self.tau, self.loss, self.max_residual(), self.transport_cost(), stretch, max_steps, self.neurons(), fit)
    }
}

impl Descent for GradientDescent {
    fn control(&self) -> &Control {
        &self.control
    }
    fn control_mut(&mut self) -> &mut Control {
        &mut self.control
    }
    fn points(&self) -> usize {
        self.n
    }
    fn pass(&mut self, eta: f64) -> bool {
        self.candidate_pass(eta)
    }
    fn candidate_loss(&self) -> f64 {
        self.f_next.iter().zip(&self.y).map(|(f, y)| (f - y) * (f - y)).sum::<f64>() / (2.0 * self.n as f64)
    }
    fn accept(&mut self) {
        self.accept_candidate();
    }
    /// The Gram matrix of the tangent kernel at the current state (from its bins) and its
    /// exact top eigenvalue.
    fn kernel_top(&mut self) -> f64 {
        gram_matrix(&self.coef, &self.x, &mut self.kernel, &mut self.sums);
        let [d, e, v, w] = &mut self.scratch;
        top_eigenvalue(&mut self.kernel, self.n, d, e, v, w)
    }
    fn loss(&self) -> f64 {
        self.loss
    }
    fn trace(&self) -> f64 {
        self.trace
    }
    fn curvature(&self) -> f64 {
        self.r.iter().zip(&self.xnorm).map(|(r, v)| r.abs() * v).sum()
    }
    fn plateau_reason(&self) -> Option<StallReason> {
        self.kinkless_stretch()
    }
}

/// Cumulative sums of the bins' coefficients for sorted points: `above[p]` over the prefix
/// bins `c > p` (the prefixes `[0, c)` that contain `p`), `below[p]` over the suffix bins
/// `n + 1 + s` with `s ≤ p`. A neuron is active at both `p ≤ q` iff its bin is in `above[q]` or
/// in `below[p]`.
fn cumulate(coef: &[Coefficients], above: &mut [Coefficients], below: &mut [Coefficients]) {
    let n = above.len();
    let mut acc = [0.0; 5];
    for p in (0..n).rev() {
        for k in 0..5 {
            acc[k] += coef[p + 1][k];
        }
        above[p] = acc;
    }
    let mut acc = [0.0; 5];
    for p in 0..n {
        for k in 0..5 {
            acc[k] += coef[n + 1 + p][k];
        }
        below[p] = acc;
    }
}

/// `f(x_p) = x_p Σ ω a w + Σ ω a b` over the neurons active at `x_p`, into `f`; returns
/// `trace K = Σ_p Σ_active ω [(w x_p + b)² + a² (x_p² + 1)]`. `above`, `below`: scratch.
fn summarize(coef: &[Coefficients], x: &[f64], f: &mut [f64], [above, below]: &mut [Vec<Coefficients>; 2]) -> f64 {
    cumulate(coef, above, below);
    let mut trace = 0.0;
    for (p, &xp) in x.iter().enumerate() {
        let c: Coefficients = std::array::from_fn(|k| above[p][k] + below[p][k]);
        f[p] = xp * c[0] + c[1];
        trace += c[2] * xp * xp + 2.0 * c[3] * xp + c[4];
    }
    trace
}

/// `K_pq = Σ_{neurons active at p and q} ω [(w² + a²) x_p x_q + w b (x_p + x_q) + b² + a²]`
/// (row-major, sorted order) into `k`. `above`, `below`: scratch.
fn gram_matrix(coef: &[Coefficients], x: &[f64], k: &mut [f64], [above, below]: &mut [Vec<Coefficients>; 2]) {
    let n = x.len();
    cumulate(coef, above, below);
    for p in 0..n {
        for q in p..n {
            let c: [f64; 3] = std::array::from_fn(|t| above[q][2 + t] + below[p][2 + t]);
            let v = c[0] * x[p] * x[q] + c[1] * (x[p] + x[q]) + c[2];
            k[p * n + q] = v;
            k[q * n + p] = v;
        }
    }
}

/// The largest eigenvalue of the symmetric `n × n` matrix `a` (row-major; destroyed), by
/// Householder reduction to tridiagonal form and Sturm-sequence bisection. Returns the upper
/// end of the final bisection interval, so it is not below `λ_max` beyond round-off.
/// `d`, `e`, `v`, `w` are scratch of length `n`. One function (just over 80 lines): the two
/// stages share their scratch and read as the textbook algorithm.
pub fn top_eigenvalue(a: &mut [f64], n: usize, d: &mut [f64], e: &mut [f64], v: &mut [f64], w: &mut [f64]) -> f64 {
    if n == 0 {
        return 0.0;
    }
    // Householder: zero column k below the subdiagonal with H = I − 2vvᵀ on rows/columns > k.
    for k in 0..n.saturating_sub(2) {
        let sigma = f64::sqrt((k + 1..n).map(|i| a[i * n + k] * a[i * n + k]).sum::<f64>());
        let x0 = a[(k + 1) * n + k];
        if sigma == 0.0 {
            e[k] = 0.0;
            continue;
        }
        let alpha = if x0 > 0.0 { -sigma } else { sigma };
        for i in k + 1..n {
            v[i] = a[i * n + k];
        }
        v[k + 1] -= alpha;
        let norm = f64::sqrt((k + 1..n).map(|i| v[i] * v[i]).sum::<f64>());
        for i in k + 1..n {
            v[i] /= norm;
        }
        // w = A v, c = vᵀw, q = w − c v; A ← A − 2(v qᵀ + q vᵀ) on the trailing block.
        for i in k + 1..n {
            w[i] = (k + 1..n).map(|j| a[i * n + j] * v[j]).sum();
        }
        let c: f64 = (k + 1..n).map(|i| v[i] * w[i]).sum();
        for i in k + 1..n {
            w[i] -= c * v[i];
        }
        for i in k + 1..n {
            for j in k + 1..n {
                a[i * n + j] -= 2.0 * (v[i] * w[j] + w[i] * v[j]);
            }
        }
        e[k] = alpha;
    }
    for i in 0..n {
        d[i] = a[i * n + i];
    }
    if n >= 2 {
        e[n - 2] = a[(n - 1) * n + n - 2];
    }
    e[n - 1] = 0.0;
    // Gershgorin bounds of the tridiagonal matrix.
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for i in 0..n {
        let radius = e[i].abs() + if i > 0 { e[i - 1].abs() } else { 0.0 };
        lo = lo.min(d[i] - radius);
        hi = hi.max(d[i] + radius);
    }
    if !(lo.is_finite() && hi.is_finite()) {
        return f64::NAN;
    }
    let spread = hi.abs().max(lo.abs()).max(f64::MIN_POSITIVE);
    hi += 4.0 * f64::EPSILON * spread;
    lo -= 4.0 * f64::EPSILON * spread;
    // Number of eigenvalues below σ: the negative pivots of the LDLᵀ of T − σI.
    let below = |sigma: f64| -> usize {
        let mut count = 0;
        let mut q = 1.0;
        for i in 0..n {
            let off = if i > 0 { e[i - 1] * e[i - 1] / q } else { 0.0 };
            q = d[i] - sigma - off;
            if q == 0.0 {
                q = -f64::EPSILON * spread;
            }
            if q < 0.0 {
                count += 1;
            }
        }
        count
    };
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if !(mid > lo && mid < hi) || hi - lo <= 2.0 * f64::EPSILON * spread {
            break;
        }
        if below(mid) == n { hi = mid } else { lo = mid }
    }
    hi
}

/// One τ of the optimization path, as printed by the CLI: neurons `N` (`[a, w, b]` on the
/// line, `[a, w₁, w₂, b]` in the plane) and the fit `F` on the grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GdRun<N = [f64; 3], F = Fit> {
    /// Initialization scale.
    pub tau: f64,
    /// Steps taken.
    pub steps: usize,
    /// `converged`, `capped` (the step budget ended the run), `stalled` (no progress is
    /// possible: see `stall_reason`) or `running` (stopped early by its caller).
    pub status: &'static str,
    /// `loss ≤ target_loss`.
    pub converged: bool,
    /// The step cap stopped the run before convergence.
    pub capped: bool,
    /// Final `L = (1/2n) Σ_i r_i²`.
    pub loss: f64,
    /// `1e-12 · mean(y²)`.
    pub target_loss: f64,
    /// `max_i |f(x_i) − y_i|`.
    pub residual: f64,
    /// `W_gd = Σ_j ω_j |θ_j − τθ̄_j|²`.
    pub transport_cost: f64,
    /// `η` of the last step.
    pub step_size: f64,
    /// Steps rejected because they would have multiplied the loss by more than [`MAX_INCREASE`].
    pub rejected_steps: usize,
    /// Why a stalled run stalled, in words (`null` otherwise).
    pub stall_reason: Option<String>,
    /// When no neuron can bend between two data points: the first and last point of that
    /// stretch (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stall_from: Option<f64>,
    /// See `stall_from`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stall_to: Option<f64>,
    /// Final neurons `[a, w, b]`, in the order of `init.neurons` (each has weight `init.weights[j]`).
    pub neurons: Vec<N>,
    /// `f_θ` on the grid.
    pub fit: F,
}

/// The optimization path over several τ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GdReport {
    /// The data.
    pub data: Data,
    /// The initial measure at scale 1 (the same as the scaling path's for the same width and seed).
    pub init: InitReport,
    /// Step budget per τ.
    pub max_steps: usize,
    /// One entry per τ, increasing.
    pub runs: Vec<GdRun>,
}

/// Unchecked parameters of an optimization path (finite width only).
///
/// | name | default | meaning | range |
/// |---|---|---|---|
/// | `taus` | as [`PathParams`] | initialization scales | finite, `> 0`, at most [`crate::input::params::MAX_TAUS`] |
/// | `law`, `symmetric`, `grid` | as [`PathParams`] | | |
/// | `m`, `seed` | — | `m` sampled neurons and their seed | `1 ≤ m ≤` [`crate::input::params::MAX_WIDTH`], even if symmetric |
/// | `max_steps` | [`DEFAULT_MAX_STEPS`] | step budget per τ | `1 ≤ max_steps ≤` [`MAX_STEPS`] |
#[derive(Debug, Clone, PartialEq)]
pub struct GdParams {
    /// Initialization scales.
    pub taus: Vec<f64>,
    /// Base law.
    pub law: Law,
    /// Symmetrized initialization.
    pub symmetric: bool,
    /// Number of neurons.
    pub m: usize,
    /// Seed of the sampled neurons.
    pub seed: u64,
    /// Step budget per τ.
    pub max_steps: usize,
    /// Plotting grid (`None`: around the data).
    pub grid: Option<Grid>,
}

/// Parameters that passed [`GdParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidGdParams {
    path: ValidPathParams,
    max_steps: usize,
}

impl ValidGdParams {
    /// The same configuration as scaling-path parameters (λ = 0, `Width::Neurons`): the path
    /// from the same neurons.
    pub fn path_params(&self) -> &ValidPathParams {
        &self.path
    }
    /// Step budget per τ.
    pub fn max_steps(&self) -> usize {
        self.max_steps
    }
}

impl GdParams {
    /// The scaling-path parameters with the same τ, law, symmetry, neurons and grid (λ = 0).
    pub fn as_path_params(&self) -> PathParams {
        PathParams {
            taus: self.taus.clone(),
            lambda: 0.0,
            law: self.law,
            symmetric: self.symmetric,
            width: Width::Neurons { m: self.m, seed: self.seed },
            grid: self.grid,
        }
    }

    /// Validates against `data` with [`PathParams::check`]'s rules, and the step budget.
    pub fn check(&self, data: &Data) -> Result<ValidGdParams> {
        let path = self.as_path_params().check(data)?;
        self.with_budget(path)
    }

    /// [`check`](Self::check) for data in the plane ([`PathParams::check_plane`]'s rules).
    pub fn check_plane(&self, data: &crate::input::plane_data::PlaneData) -> Result<ValidGdParams> {
        let path = self.as_path_params().check_plane(data)?;
        self.with_budget(path)
    }

    fn with_budget(&self, path: ValidPathParams) -> Result<ValidGdParams> {
        if self.max_steps == 0 || self.max_steps > MAX_STEPS {
            return Err(Error::OutOfRange { name: "max steps", value: self.max_steps.to_string(), min: "1".into(), max: MAX_STEPS.to_string() });
        }
        Ok(ValidGdParams { path, max_steps: self.max_steps })
    }
}

/// How far [`optimization_path`] has come, for progress display.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// 0-based index of the current τ (in increasing order).
    pub index: usize,
    /// Number of τ.
    pub total: usize,
    /// Current τ.
    pub tau: f64,
    /// Steps taken at this τ.
    pub steps: usize,
    /// Current loss.
    pub loss: f64,
    /// This τ is finished.
    pub done: bool,
}

/// Steps between two progress calls of [`optimization_path`].
pub const PROGRESS_EVERY: usize = 10_000;

/// Runs gradient descent for every τ (increasing) from the sampled neurons of `params`,
/// calling `progress` every [`PROGRESS_EVERY`] steps and when a τ is finished. The runs are
/// independent, so natively every other τ runs on a second thread (its progress is not
/// reported); each run's numbers are the same either way.
pub fn optimization_path(data: &Data, params: &ValidGdParams, mut progress: impl FnMut(Progress)) -> Result<GdReport> {
    let path = params.path_params();
    let init = InitialMeasure::new(path.law(), path.symmetric(), path.width(), &data.x)?;
    let grid = path.grid().points();
    let mut taus = path.taus().to_vec();
    taus.sort_by(f64::total_cmp);
    let total = taus.len();
    let max_steps = params.max_steps;
    let run = |index: usize, progress: &mut dyn FnMut(Progress)| -> Result<GdRun> {
        let tau = taus[index];
        let mut gd = GradientDescent::new(&data.x, &data.y, &init, tau)?;
        loop {
            let status = gd.advance(PROGRESS_EVERY.min(max_steps - gd.steps()));
            let done = status != Status::Running || gd.steps() >= max_steps;
            progress(Progress { index, total, tau, steps: gd.steps(), loss: gd.loss(), done });
            if done {
                break;
            }
        }
        Ok(gd.report(&grid, max_steps))
    };
    #[cfg(not(target_arch = "wasm32"))]
    let runs = std::thread::scope(|scope| -> Result<Vec<GdRun>> {
        let odd = scope.spawn(|| (1..total).step_by(2).map(|i| run(i, &mut |_| {})).collect::<Result<Vec<GdRun>>>());
        let even: Vec<GdRun> = (0..total).step_by(2).map(|i| run(i, &mut progress)).collect::<Result<_>>()?;
        let odd = odd.join().map_err(|_| Error::Usage("a gradient-descent thread panicked".into()))??;
        let mut runs = Vec::with_capacity(total);
        let (mut e, mut o) = (even.into_iter(), odd.into_iter());
        for i in 0..total {
            runs.extend(if i % 2 == 0 { e.next() } else { o.next() });
        }
        Ok(runs)
    })?;
    #[cfg(target_arch = "wasm32")]
    let runs = (0..total).map(|i| run(i, &mut progress)).collect::<Result<Vec<GdRun>>>()?;
    Ok(GdReport { data: data.clone(), init: init_report(&init), max_steps, runs })
}

/// The initial measure as the scaling path reports it.
pub fn init_report(init: &InitialMeasure) -> InitReport {
    let (kind, seed) = match init.width {
        Width::Directions(_) => ("quadrature", None),
        Width::Neurons { seed, .. } => ("sampled", Some(seed)),
    };
    InitReport {
        law: init.law.name(),
        symmetric: init.symmetric,
        kind,
        count: init.len(),
        seed,
        weights: init.weights.clone(),
        neurons: init.neurons.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(a: &[f64], n: usize) -> f64 {
        let mut a = a.to_vec();
        let (mut d, mut e, mut v, mut w) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        top_eigenvalue(&mut a, n, &mut d, &mut e, &mut v, &mut w)
    }

    #[test]
    fn top_eigenvalue_of_known_matrices() {
        assert_eq!(top(&[2.5], 1), 2.5);
        assert!((top(&[2.0, 1.0, 1.0, 2.0], 2) - 3.0).abs() < 1e-14);
        // The second-difference matrix: eigenvalues 2 − 2 cos(kπ/(n + 1)).
        let n = 12;
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            a[i * n + i] = 2.0;
            if i + 1 < n {
                a[i * n + i + 1] = -1.0;
                a[(i + 1) * n + i] = -1.0;
            }
        }
        let exact = 2.0 - 2.0 * (n as f64 * std::f64::consts::PI / (n + 1) as f64).cos();
        let got = top(&a, n);
        assert!(got >= exact - 1e-14 && got - exact < 1e-13, "{got} vs {exact}");
    }

    #[test]
    fn top_eigenvalue_of_a_rotated_diagonal() {
        // Q diag(λ) Qᵀ with Q a product of a Householder reflection: eigenvalues λ exactly.
        let n = 7;
        let lambda = [3.0, 1e-6, 0.5, 7.25, 2.0, 0.0, 7.0];
        let u: Vec<f64> = (0..n).map(|i| (i as f64 * 0.7 + 0.3).sin()).collect();
        let uu: f64 = u.iter().map(|v| v * v).sum();
        let q = |i: usize, j: usize| (if i == j { 1.0 } else { 0.0 }) - 2.0 * u[i] * u[j] / uu;
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                a[i * n + j] = (0..n).map(|k| q(i, k) * lambda[k] * q(j, k)).sum();
            }
        }
        let got = top(&a, n);
        assert!((got - 7.25).abs() < 1e-13, "{got}");
    }

    #[test]
    fn padding_neurons_stay_inert() {
        let x = [-1.0, 0.0, 1.0];
        let init = InitialMeasure::new(Law::Gaussian, false, Width::Neurons { m: 5, seed: 2 }, &x).unwrap();
        let mut gd = GradientDescent::new(&x, &[0.5, -0.2, 0.3], &init, 1.0).unwrap();
        gd.advance(50);
        for k in 0..3 {
            assert!(gd.disp[1][k][1..].iter().all(|&v| v == 0.0));
        }
        assert!(gd.transport_cost() > 0.0);
        assert_eq!(gd.neurons().len(), 5);
    }
}
