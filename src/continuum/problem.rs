//! The infinite-width dual at one `α` (MATH §6, integrated as in §11):
//! `D(α) = ⟨α, y⟩ − (λ/2)|α|² + τ² ∫ V_α dν0`, `∇D = y − λα − f_α(X)`,
//! `f_α(x) = τ² ∫ φ(θ*_α(t), x) dν0(t)`, with the integrals of [`super::integrate`] and their
//! error estimates.

use super::integrate::{BetaLaw, Integration, IntegrationSettings, integrate};
use crate::dual::direction::Pieces;
use crate::input::error::{Error, Result};
use crate::network::geometry::Sectors;
use crate::network::init::Law;
use ndarray::Array2;

/// Default integration tolerance, relative to `max(1, max|y|)`: far below the aim
/// (1e-3) and the fine rule's own error (~1e-4), at a fraction of the cost of 1e-9 (measured on
/// example.csv: 4 τ in 2.2 s at 1e-7 with 64 samples, 5.8 s at 1e-9 with 192).
pub const DEFAULT_TOLERANCE: f64 = 1e-5;

/// Relative round-off of `D`: a sum of ~10⁵ closed-form integrals over arcs and nodes, each
/// exact to a few ulps of terms as large as the sum's parts (measured on random-10 at τ = 31.6:
/// Newton steps that cut the residual 400-fold changed `D` ≈ 1.9·10⁴ by −2.5e-10 — round-off
/// — and were halved eight times over).
const ROUND_OFF: f64 = 1e-12;

/// One infinite-width scaling-path problem (data, `λ`, law); `τ` is given per evaluation.
#[derive(Debug, Clone)]
pub struct Continuum {
    /// Data abscissas (distinct).
    pub x: Vec<f64>,
    /// Targets.
    pub y: Vec<f64>,
    /// Data-fit weight `λ ≥ 0`.
    pub lambda: f64,
    /// How `ν0` is spread over `β`.
    pub law: BetaLaw,
    /// The sectors cut by `x`.
    pub sectors: Sectors,
    /// Integration settings.
    pub settings: IntegrationSettings,
}

/// `D`, `f(X)` and the cost at one `(τ, α)`, with their error estimates.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Initialization scale.
    pub tau: f64,
    /// The dual point.
    pub alpha: Vec<f64>,
    /// `G_α`'s pieces.
    pub pieces: Pieces,
    /// `D(α)`.
    pub value: f64,
    /// `f_α(X)`.
    pub fit: Vec<f64>,
    /// `τ² ∫ |θ* − t|² dν0`: the transport cost `W²` of the pushed-forward measure.
    pub cost: f64,
    /// Estimated error of `value`.
    pub value_error: f64,
    /// The round-off of `value`: [`ROUND_OFF`] times the size of its two terms,
    /// `|⟨α, y⟩ − (λ/2)|α|²| + τ² |∫ V_α dν0|`. Near the domain's edge both are ~10⁴ times `D`'s
    /// changes between Newton steps, so two values closer than this are not ordered.
    pub round_off: f64,
    /// Estimated error of each `f_α(x_i)`.
    pub fit_error: Vec<f64>,
    /// Estimated error of `cost`.
    pub cost_error: f64,
    /// The integration (panels, nodes, counts).
    pub integration: Integration,
}

impl Evaluation {
    /// `∇D = y − λα − f_α(X)`.
    pub fn gradient(&self, problem: &Continuum) -> Vec<f64> {
        (0..self.alpha.len()).map(|i| problem.y[i] - problem.lambda * self.alpha[i] - self.fit[i]).collect()
    }

    /// `max_i |f_α(x_i) − y_i + λα_i|`.
    pub fn residual(&self, problem: &Continuum) -> f64 {
        self.gradient(problem).iter().fold(0.0, |m, g| m.max(g.abs()))
    }

    /// `max_i` of the fit's error estimate.
    pub fn max_fit_error(&self) -> f64 {
        self.fit_error.iter().fold(0.0, |m, v| m.max(*v))
    }
}

impl Continuum {
    /// The problem for data `(x, y)` (distinct abscissas), `λ` and `law`; `uniform-kinks` is
    /// not supported.
    pub fn new(x: &[f64], y: &[f64], lambda: f64, law: Law) -> Result<Continuum> {
        let beta_law = BetaLaw::of(law).ok_or_else(|| Error::Usage(format!("the continuum solver does not support the law '{}'", law.name())))?;
        let mut sorted = x.to_vec();
        sorted.sort_by(f64::total_cmp);
        if sorted.windows(2).any(|w| w[0] == w[1]) {
            return Err(Error::Usage("the continuum solver needs distinct abscissas (merge repeated points first)".into()));
        }
        let scale_y = y.iter().fold(1.0f64, |m, v| m.max(v.abs()));
        let settings = IntegrationSettings { tolerance: DEFAULT_TOLERANCE * scale_y, ..IntegrationSettings::default() };
        Ok(Continuum { x: x.to_vec(), y: y.to_vec(), lambda, law: beta_law, sectors: Sectors::new(x), settings })
    }

    /// `max(1, max|y|)`.
    pub fn scale_y(&self) -> f64 {
        self.y.iter().fold(1.0f64, |m, v| m.max(v.abs()))
    }

    /// `⟨α, y⟩ − (λ/2)|α|²`.
    pub fn linear_part(&self, alpha: &[f64]) -> f64 {
        let ay: f64 = alpha.iter().zip(&self.y).map(|(a, y)| a * y).sum();
        let aa: f64 = alpha.iter().map(|a| a * a).sum();
        ay - 0.5 * self.lambda * aa
    }

    /// Evaluates at `(τ, α)` with the problem's settings; `None` outside the dual's domain.
    pub fn evaluate(&self, tau: f64, alpha: &[f64]) -> Option<Evaluation> {
        self.evaluate_with(tau, alpha, &self.settings)
    }

    /// Evaluates at `(τ, α)` with `settings`; `None` outside the dual's domain.
    pub fn evaluate_with(&self, tau: f64, alpha: &[f64], settings: &IntegrationSettings) -> Option<Evaluation> {
        let pieces = Pieces::new(&self.sectors, &self.x, alpha);
        if !pieces.in_domain() {
            return None;
        }
        let tau2 = tau * tau;
        let integration = integrate(&pieces, &self.sectors, &self.x, &self.law, tau2, settings);
        let s = &integration.sums;
        let e = &integration.error;
        Some(Evaluation {
            tau,
            alpha: alpha.to_vec(),
            value: self.linear_part(alpha) + tau2 * s.value,
            fit: s.fit.iter().map(|v| tau2 * v).collect(),
            cost: tau2 * s.cost,
            value_error: tau2 * e.value,
            round_off: ROUND_OFF * (self.linear_part(alpha).abs() + tau2 * s.value.abs()),
            fit_error: e.fit.iter().map(|v| tau2 * v).collect(),
            cost_error: tau2 * e.cost,
            pieces,
            integration,
        })
    }

    /// `∂f_α(X)/∂α` (so the Hessian of `D` is `−λI − J`).
    pub fn jacobian(&self, eval: &Evaluation) -> Array2<f64> {
        let tau2 = eval.tau * eval.tau;
        eval.integration.jacobian(&eval.pieces, &self.sectors, &self.x) * tau2
    }
}
