//! The step-size rule, the rejection of bad steps and the stopping rules of gradient descent
//! (module docs of [`crate::gd`]), written once for every input dimension: a [`Descent`] supplies
//! the network's passes (its gradient, its candidate state, its tangent kernel), [`Control`]
//! decides the steps.

use super::{GdRun, GdSettings, MAX_INCREASE, MAX_REJECTIONS, PLATEAU_DECREASE, PLATEAU_WINDOW, StallReason, Status};

/// The state of the step rule: the kernel's bound `λ̂`, the damping factor, the counters and
/// where the run stands.
#[derive(Debug, Clone)]
pub(crate) struct Control {
    pub settings: GdSettings,
    /// The last exact `λ_max(K)` and the trace at that point.
    pub lambda_exact: f64,
    pub trace_exact: f64,
    pub since_refresh: usize,
    pub refresh_period: usize,
    /// Step factor in `(0, 1]`: halved per rejected step, doubled per accepted one.
    pub damping: f64,
    pub rejections_in_row: usize,
    pub rejected: usize,
    pub steps: usize,
    pub step_size: f64,
    pub target: f64,
    pub status: Status,
    pub stall: Option<StallReason>,
    /// The loss at the last plateau check.
    pub plateau_loss: f64,
}

impl Control {
    /// A fresh run on `n` data points (the exact kernel every `max(8, n)` steps).
    pub fn new(settings: GdSettings, n: usize) -> Control {
        Control {
            settings,
            lambda_exact: 0.0,
            trace_exact: 0.0,
            since_refresh: 0,
            refresh_period: n.max(8),
            damping: 1.0,
            rejections_in_row: 0,
            rejected: 0,
            steps: 0,
            step_size: 0.0,
            target: 0.0,
            status: Status::Running,
            stall: None,
            plateau_loss: f64::INFINITY,
        }
    }

    /// The convergence target `CONVERGED · mean(y²)` (for `y ≡ 0`, of the initial `2L`).
    pub fn set_target(&mut self, y: &[f64], loss: f64) {
        let mean_y2 = y.iter().map(|v| v * v).sum::<f64>() / y.len() as f64;
        self.target = super::CONVERGED * if mean_y2 > 0.0 { mean_y2 } else { 2.0 * loss };
    }

    /// The run's report: its status in words and its numbers (`stretch`: the line's stretch
    /// without a kink, when that stalled it).
    #[allow(clippy::too_many_arguments)]
    pub fn run_report<N, F>(
        &self,
        tau: f64,
        loss: f64,
        residual: f64,
        transport_cost: f64,
        stretch: Option<(f64, f64)>,
        max_steps: usize,
        neurons: Vec<N>,
        fit: F,
    ) -> GdRun<N, F> {
        let (status, capped) = match self.status {
            Status::Converged => ("converged", false),
            Status::Stalled => ("stalled", false),
            Status::Running if self.steps >= max_steps => ("capped", true),
            Status::Running => ("running", false),
        };
        GdRun {
            tau,
            steps: self.steps,
            status,
            converged: self.status == Status::Converged,
            capped,
            loss,
            target_loss: self.target,
            residual,
            transport_cost,
            step_size: self.step_size,
            rejected_steps: self.rejected,
            stall_reason: self.stall.map(StallReason::message),
            stall_from: stretch.map(|(from, _)| from),
            stall_to: stretch.map(|(_, to)| to),
            neurons,
            fit,
        }
    }

    pub fn stall(&mut self, reason: StallReason) {
        self.status = Status::Stalled;
        self.stall = Some(reason);
    }
}

/// A network under gradient descent, as [`Control`] sees it.
pub(crate) trait Descent {
    fn control(&self) -> &Control;
    fn control_mut(&mut self) -> &mut Control;
    /// Number of data points.
    fn points(&self) -> usize;
    /// The candidate `disp − η g` and its `f(X)` and `trace K`; whether any coordinate moved.
    fn pass(&mut self, eta: f64) -> bool;
    /// The loss at the candidate.
    fn candidate_loss(&self) -> f64;
    /// Makes the candidate current.
    fn accept(&mut self);
    /// The exact `λ_max` of the current tangent kernel's Gram matrix.
    fn kernel_top(&mut self) -> f64;
    /// The current loss, `trace K`, and `Σ_i |r_i| |x̃_i|`.
    fn loss(&self) -> f64;
    fn trace(&self) -> f64;
    fn curvature(&self) -> f64;
    /// Why a run whose loss stopped falling can never fit the data, if it can tell.
    fn plateau_reason(&self) -> Option<StallReason>;

    /// The state at `θ(0)` (a zero step: the backward part is multiplied by 0), the
    /// convergence target for the labels `y`, the exact kernel.
    fn begin(&mut self, y: &[f64]) {
        self.pass(0.0);
        self.accept();
        let loss = self.loss();
        self.control_mut().set_target(y, loss);
        self.refresh_kernel();
        self.update_status();
    }

    /// Refreshes `λ̂` with the exact top eigenvalue.
    fn refresh_kernel(&mut self) {
        let lambda = self.kernel_top();
        let trace = self.trace();
        let c = self.control_mut();
        c.lambda_exact = lambda;
        c.trace_exact = trace;
        c.since_refresh = 0;
    }

    /// Takes up to `k` more steps, stopping early when converged or stalled; returns the status.
    fn advance_by(&mut self, k: usize) -> Status {
        let mut taken = 0;
        while taken < k && self.control().status == Status::Running {
            if self.try_step() {
                taken += 1;
                if self.control().steps % PLATEAU_WINDOW == 0 {
                    self.check_plateau();
                }
            }
            self.update_status();
        }
        self.control().status
    }

    /// One attempt at a step. Kept unless the loss would grow by more than [`MAX_INCREASE`]
    /// (or stop being finite); then the step factor is halved and the exact kernel refreshed.
    /// Any increase of the loss also refreshes the kernel before the next step. Returns whether
    /// the step was kept.
    fn try_step(&mut self) -> bool {
        if self.control().since_refresh >= self.control().refresh_period {
            self.refresh_kernel();
        }
        let trace = self.trace();
        let c = self.control();
        let lambda_k = if c.trace_exact > 0.0 { trace.min(c.lambda_exact * (trace / c.trace_exact).max(1.0)) } else { trace };
        let settings = c.settings;
        let eta = c.damping * settings.step_fraction * self.points() as f64 / (lambda_k + settings.residual_weight * self.curvature());
        if !(eta > 0.0 && eta.is_finite()) {
            // No curvature at all: nothing can move.
            self.control_mut().stall(StallReason::GradientVanished);
            return false;
        }
        if !self.pass(eta) {
            // The gradient vanishes (to the last bit of every coordinate): a stationary point.
            self.control_mut().stall(StallReason::GradientVanished);
            return false;
        }
        let loss_next = self.candidate_loss();
        let loss = self.loss();
        if loss_next <= MAX_INCREASE * loss {
            if loss_next > loss {
                let c = self.control_mut();
                c.since_refresh = c.refresh_period;
            }
            self.accept();
            let c = self.control_mut();
            c.step_size = eta;
            c.steps += 1;
            c.since_refresh += 1;
            c.damping = (2.0 * c.damping).min(1.0);
            c.rejections_in_row = 0;
            true
        } else {
            let c = self.control_mut();
            c.damping *= 0.5;
            c.rejected += 1;
            c.rejections_in_row += 1;
            if c.rejections_in_row >= MAX_REJECTIONS {
                c.stall(StallReason::StepVanished);
            }
            self.refresh_kernel();
            false
        }
    }

    /// Stalls the run when the loss fell by at most [`PLATEAU_DECREASE`] since the last check
    /// and [`plateau_reason`](Self::plateau_reason) names a reason.
    fn check_plateau(&mut self) {
        let loss = self.loss();
        let last = std::mem::replace(&mut self.control_mut().plateau_loss, loss);
        // The first check only records the loss (the window before it has no start).
        if last.is_finite() && loss > self.control().target && last - loss <= PLATEAU_DECREASE * last {
            if let Some(reason) = self.plateau_reason() {
                self.control_mut().stall(reason);
            }
        }
    }

    fn update_status(&mut self) {
        let loss = self.loss();
        let c = self.control_mut();
        if c.status == Status::Running && loss <= c.target {
            c.status = Status::Converged;
        }
    }
}
