//! Gradient descent for inputs in the plane (MATH §3 one dimension up): neurons
//! `θ_j = (a_j, w_j) ∈ R × R³` with `φ(θ, x) = a (w·x̃)₊`, `x̃ = (x₁, x₂, 1)` (the bias last, as
//! in the reports: `[a, w₁, w₂, b]`), weights `ω_j`, started at `τθ̄_j`, on
//! `L(θ) = (1/2n) Σ_i r_i²`. A step is
//!
//! `θ_j ← θ_j − η g_j`,   `g_j = (1/n) Σ_i r_i ((w·x̃_i)₊, a x̃_i 1{w·x̃_i > 0})`
//!
//! with the step size, the rejection of steps that multiply the loss by more than
//! [`super::MAX_INCREASE`] and the stopping rules of the line ([`super::control`]); the tangent
//! kernel is `K(x, x') = Σ_j ω_j 1{w·x̃ > 0, w·x̃' > 0} ((w·x̃)(w·x̃') + a² x̃·x̃')` and the
//! residual term of the step size uses `|x̃_i|`. In the plane a neuron's active points are not
//! a prefix of sorted data, so a step is the direct sum, `O(m n)` (and the exact kernel, every
//! `max(8, n)` steps, `O(m n²)`). The line's plateau test (a stretch of data with no kink) has
//! no counterpart here: a run on a plateau ends at its step budget.

use super::control::{Control, Descent};
use super::{GdRun, GdSettings, Progress, StallReason, Status, ValidGdParams, top_eigenvalue};
use crate::input::error::{Error, Result};
use crate::input::params::{MAX_WIDTH, check_tau};
use crate::input::plane_data::PlaneData;
use crate::dual::geometry::Geometry;
use crate::dual::plane::Plane;
use crate::path::plane::{PlaneFit, PlaneInitReport, plane_fit, plane_grid, plane_init};
use serde::Serialize;

/// Gradient descent from `τθ̄` on data in the plane, one step at a time (module docs).
#[derive(Debug, Clone)]
pub struct PlaneGradientDescent {
    tau: f64,
    /// `x̃_i = (x₁, x₂, 1)` and `|x̃_i|`.
    x: Vec<[f64; 3]>,
    xnorm: Vec<f64>,
    y: Vec<f64>,
    /// `ω_j`.
    weights: Vec<f64>,
    /// The initial point `τθ̄`, the displacement `θ − τθ̄` and the candidate displacement (kept
    /// apart so that `W_gd` keeps its relative accuracy at large τ).
    start: Vec<[f64; 4]>,
    disp: Vec<[f64; 4]>,
    next: Vec<[f64; 4]>,
    /// `f(x_i)` and `r_i` at the current state; `f` at the candidate.
    f: Vec<f64>,
    r: Vec<f64>,
    f_next: Vec<f64>,
    loss: f64,
    /// `trace K` at the current state and at the candidate.
    trace: f64,
    trace_next: f64,
    /// Scratch: the Gram matrix and the eigenvalue computation's vectors.
    kernel: Vec<f64>,
    scratch: [Vec<f64>; 4],
    control: Control,
}

/// `w·x̃` for `θ = [a, w₁, w₂, b]`.
#[inline(always)]
fn preactivation(th: &[f64; 4], x: &[f64; 3]) -> f64 {
    th[1] * x[0] + th[2] * x[1] + th[3] * x[2]
}

impl PlaneGradientDescent {
    /// Prepares gradient descent on `data` from the neurons `sources` (each `[a, w₁, w₂, b]`,
    /// weight `weights[j]`) scaled by `tau`.
    pub fn new(data: &PlaneData, sources: &[[f64; 4]], weights: &[f64], tau: f64, settings: GdSettings) -> Result<PlaneGradientDescent> {
        let settings = settings.check()?;
        check_tau(tau)?;
        if sources.is_empty() || sources.len() != weights.len() || sources.len() > MAX_WIDTH {
            return Err(Error::OutOfRange { name: "width", value: sources.len().to_string(), min: "1".into(), max: MAX_WIDTH.to_string() });
        }
        if data.x.is_empty() {
            return Err(Error::Usage("gradient descent needs at least one data point".into()));
        }
        let n = data.x.len();
        let x: Vec<[f64; 3]> = data.x.iter().map(|p| [p[0], p[1], 1.0]).collect();
        let zeros = vec![[0.0; 4]; sources.len()];
        let mut gd = PlaneGradientDescent {
            tau,
            xnorm: x.iter().map(|v| (v[0] * v[0] + v[1] * v[1] + 1.0).sqrt()).collect(),
            x,
            y: data.y.clone(),
            weights: weights.to_vec(),
            start: sources.iter().map(|t| t.map(|v| tau * v)).collect(),
            disp: zeros.clone(),
            next: zeros,
            f: vec![0.0; n],
            r: vec![0.0; n],
            f_next: vec![0.0; n],
            loss: 0.0,
            trace: 0.0,
            trace_next: 0.0,
            kernel: vec![0.0; n * n],
            scratch: std::array::from_fn(|_| vec![0.0; n]),
            control: Control::new(settings, n),
        };
        gd.begin(&data.y);
        Ok(gd)
    }

    /// Takes up to `k` more steps, stopping early when converged or stalled; returns the status.
    pub fn advance(&mut self, k: usize) -> Status {
        self.advance_by(k)
    }

    /// Runs until converged, stalled, or `steps() == max_steps`.
    pub fn run(&mut self, max_steps: usize) -> Status {
        self.advance(max_steps.saturating_sub(self.control.steps))
    }

    /// Initialization scale τ.
    pub fn tau(&self) -> f64 {
        self.tau
    }
    /// Steps taken (accepted).
    pub fn steps(&self) -> usize {
        self.control.steps
    }
    /// `L(θ)` at the current state.
    pub fn loss(&self) -> f64 {
        self.loss
    }
    /// Where the run stands.
    pub fn status(&self) -> Status {
        self.control.status
    }
    /// `f(x_i)` at the current state.
    pub fn fit_at_data(&self) -> Vec<f64> {
        self.f.clone()
    }
    /// `max_i |r_i|`.
    pub fn max_residual(&self) -> f64 {
        self.r.iter().fold(0.0, |m, r| m.max(r.abs()))
    }
    /// The current neurons `[a, w₁, w₂, b]`.
    pub fn neurons(&self) -> Vec<[f64; 4]> {
        self.start.iter().zip(&self.disp).map(|(s, d)| std::array::from_fn(|k| s[k] + d[k])).collect()
    }
    /// `W_gd = Σ_j ω_j |θ_j − τθ̄_j|²`.
    pub fn transport_cost(&self) -> f64 {
        self.disp.iter().zip(&self.weights).map(|(d, w)| w * d.iter().map(|v| v * v).sum::<f64>()).sum()
    }
    /// `∇_{θ_j} L = ω_j g_j` at the current state.
    pub fn gradient(&self) -> Vec<[f64; 4]> {
        let n = self.x.len() as f64;
        self.neurons().iter().zip(&self.weights).map(|(th, w)| self.direction(th).map(|g| w * g / n)).collect()
    }
    /// The Gram matrix of the tangent kernel at the current state, row-major.
    pub fn tangent_kernel(&self) -> Vec<f64> {
        let n = self.x.len();
        let mut k = vec![0.0; n * n];
        let mut z = vec![0.0; n];
        for (th, w) in self.neurons().iter().zip(&self.weights) {
            for (zi, xi) in z.iter_mut().zip(&self.x) {
                *zi = preactivation(th, xi);
            }
            for p in 0..n {
                if z[p] <= 0.0 {
                    continue;
                }
                for q in 0..n {
                    if z[q] > 0.0 {
                        let dot = self.x[p][0] * self.x[q][0] + self.x[p][1] * self.x[q][1] + 1.0;
                        k[p * n + q] += w * (z[p] * z[q] + th[0] * th[0] * dot);
                    }
                }
            }
        }
        k
    }

    /// `Σ_i r_i ∇_θφ(θ, x_i)` at the current residuals.
    fn direction(&self, th: &[f64; 4]) -> [f64; 4] {
        let mut g = [0.0; 4];
        for ((xi, &ri), _) in self.x.iter().zip(&self.r).zip(0..) {
            let z = preactivation(th, xi);
            if z > 0.0 {
                g[0] += ri * z;
                let ra = ri * th[0];
                g[1] += ra * xi[0];
                g[2] += ra * xi[1];
                g[3] += ra * xi[2];
            }
        }
        g
    }

    /// The current state as reported by the CLI on the grid `(x1, x2)`.
    pub fn report(&self, grid: &(Vec<f64>, Vec<f64>), max_steps: usize) -> GdRun<[f64; 4], PlaneFit> {
        let terms: Vec<(f64, [f64; 4])> = self.neurons().into_iter().zip(&self.weights).map(|(th, &w)| (w, th)).collect();
        self.control.run_report(self.tau, self.loss, self.max_residual(), self.transport_cost(), None, max_steps, self.neurons(), plane_fit(&terms, grid))
    }
}

impl Descent for PlaneGradientDescent {
    fn control(&self) -> &Control {
        &self.control
    }
    fn control_mut(&mut self) -> &mut Control {
        &mut self.control
    }
    fn points(&self) -> usize {
        self.x.len()
    }
    fn pass(&mut self, eta: f64) -> bool {
        let scale = eta / self.x.len() as f64;
        self.f_next.fill(0.0);
        let mut trace = 0.0;
        let mut moved = false;
        for j in 0..self.start.len() {
            let th: [f64; 4] = std::array::from_fn(|k| self.start[j][k] + self.disp[j][k]);
            let g = self.direction(&th);
            for k in 0..4 {
                self.next[j][k] = self.disp[j][k] - scale * g[k];
                moved |= self.next[j][k] != self.disp[j][k];
            }
            let th: [f64; 4] = std::array::from_fn(|k| self.start[j][k] + self.next[j][k]);
            let (om, a2) = (self.weights[j], th[0] * th[0]);
            for ((f, xi), v) in self.f_next.iter_mut().zip(&self.x).zip(&self.xnorm) {
                let z = preactivation(&th, xi);
                if z > 0.0 {
                    *f += om * th[0] * z;
                    trace += om * (z * z + a2 * v * v);
                }
            }
        }
        self.trace_next = trace;
        moved
    }
    fn candidate_loss(&self) -> f64 {
        self.f_next.iter().zip(&self.y).map(|(f, y)| (f - y) * (f - y)).sum::<f64>() / (2.0 * self.x.len() as f64)
    }
    fn accept(&mut self) {
        std::mem::swap(&mut self.disp, &mut self.next);
        std::mem::swap(&mut self.f, &mut self.f_next);
        self.trace = self.trace_next;
        for ((r, f), y) in self.r.iter_mut().zip(&self.f).zip(&self.y) {
            *r = f - y;
        }
        self.loss = self.r.iter().map(|r| r * r).sum::<f64>() / (2.0 * self.x.len() as f64);
    }
    fn kernel_top(&mut self) -> f64 {
        let n = self.x.len();
        self.kernel = self.tangent_kernel();
        let [d, e, v, w] = &mut self.scratch;
        top_eigenvalue(&mut self.kernel, n, d, e, v, w)
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
        None
    }
}

/// The optimization path in the plane over several τ, as the `gd` command prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaneGdReport {
    /// Always 2.
    pub dim: u8,
    /// The data.
    pub data: PlaneData,
    /// The initial measure at scale 1 (the same as the scaling path's for the same width and seed).
    pub init: PlaneInitReport,
    /// Step budget per τ.
    pub max_steps: usize,
    /// One entry per τ, increasing; neurons `[a, w₁, w₂, b]`, the fit on the plane's grid.
    pub runs: Vec<GdRun<[f64; 4], PlaneFit>>,
}

/// Runs gradient descent for every τ of `params` (increasing) from its sampled neurons in the
/// plane ([`plane_init`]), reporting progress as the line's [`super::optimization_path`] does
/// (every [`super::PROGRESS_EVERY`] steps and when a τ is finished); the fits on the plane's
/// grid ([`plane_grid`]).
pub fn plane_optimization_path(data: &PlaneData, params: &ValidGdParams, mut progress: impl FnMut(Progress)) -> Result<PlaneGdReport> {
    let path = params.path_params();
    let init = plane_init(path)?;
    if init.kind != "sampled" {
        return Err(Error::Usage("gradient descent runs on a finite network: give --width M".into()));
    }
    let grid = plane_grid(data);
    let mut taus = path.taus().to_vec();
    taus.sort_by(f64::total_cmp);
    let (total, max_steps) = (taus.len(), params.max_steps());
    let mut runs = Vec::with_capacity(total);
    for (index, &tau) in taus.iter().enumerate() {
        let mut gd = PlaneGradientDescent::new(data, &init.neurons, &init.weights, tau, GdSettings::default())?;
        loop {
            let status = gd.advance(super::PROGRESS_EVERY.min(max_steps - gd.steps()));
            let done = status != Status::Running || gd.steps() >= max_steps;
            progress(Progress { index, total, tau, steps: gd.steps(), loss: gd.loss(), done });
            if done {
                break;
            }
        }
        runs.push(gd.report(&grid, max_steps));
    }
    Ok(PlaneGdReport { dim: 2, data: data.clone(), init, max_steps, runs })
}

/// `f_θ(x) = Σ_j ω_j φ(θ_j, x)` at one point (for tests and checks).
pub fn network_at(neurons: &[[f64; 4]], weights: &[f64], x: [f64; 2]) -> f64 {
    neurons.iter().zip(weights).map(|(th, w)| w * Plane::phi(*th, x)).sum()
}
