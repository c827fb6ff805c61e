//! What the dual and the solver need to know about the data's dimension (MATH §6–7, §12).
//!
//! The data cut neuron space into pieces on which `G_α(θ) = Σ_i α_i φ(θ, x_i)` is one
//! quadratic: the sectors and rays of the `(w, b)` plane for inputs on the line
//! ([`Sectors`], [`crate::dual::direction`]), the cells, wedges and rays of `w ∈ R³` for inputs
//! in the plane. A [`Geometry`] names those pieces, finds every source's exact minimizer
//! `θ*_α(t)` on them, and gives each piece's fit `φ(θ, X)` and curvature `∂φ(θ_c(α), X)/∂α`.
//! Everything above it — the dual ([`crate::dual::DualProblem`]), the ascent, the local model,
//! the recovery and its certificate ([`crate::solver`]) — is written once, over this trait.

use crate::dual::direction::{Candidate, Pieces, TieDistances, domain_limit};
use crate::dual::{Accumulator, PieceCurvature};
use crate::network::geometry::Sectors;
use crate::network::model::phi;
use ndarray::Array2;
use std::fmt::Debug;

/// A candidate minimizer of `Q(θ) = |θ − t|² − G_α(θ)` on one piece, with its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice<N, L> {
    /// `Q(θ) = |θ − t|² − G_α(θ)`.
    pub value: f64,
    /// `|θ − t|²`, computed without cancellation (the transport cost per unit weight).
    pub cost: f64,
    /// The piece.
    pub candidate: L,
    /// The minimizer `θ` on that piece (unit scale: the neuron at scale τ is `τθ`).
    pub theta: N,
}

/// A candidate minimizer in the geometry `G`.
pub type ChoiceIn<G> = Choice<<G as Geometry>::Neuron, <G as Geometry>::Label>;

/// The pieces the data cut and the exact per-source minimization on them.
pub trait Geometry: Clone + Debug {
    /// A data point's input (`f64` on the line, `[x₁, x₂]` in the plane).
    type Point: Copy + Debug;
    /// A neuron `θ = (a, w…, b)` (unit scale).
    type Neuron: Copy + Debug + PartialEq;
    /// The name of a piece.
    type Label: Copy + Debug + PartialEq + Eq + PartialOrd + Ord;
    /// `G_α`'s pieces at one `α`, ready to minimize over.
    type Pieces: Clone + Debug;
    /// One piece's `∂(m φ(θ_c(α), X))/∂α` in whatever factored form adds fastest.
    type Curvature: Clone + Debug;

    /// The pieces at `alpha` (one multiplier per data point).
    fn pieces(&self, x: &[Self::Point], alpha: &[f64]) -> Self::Pieces;

    /// Is `D(α)` finite at the `α` of `pieces` (`sup |g_α| < 2`)?
    fn in_domain(pieces: &Self::Pieces) -> bool;

    /// The exact minimizer of every source (requires [`Geometry::in_domain`]).
    fn best_all(pieces: &Self::Pieces, sources: &[Self::Neuron]) -> Vec<ChoiceIn<Self>>;

    /// `f(X) = Σ_p m_p φ(θ_p, X)` of every source sent whole to its choice, `m_p = τ² ω_p`.
    fn fit(&self, x: &[Self::Point], pieces: &Self::Pieces, choices: &[ChoiceIn<Self>], masses: &[f64]) -> Vec<f64>;

    /// `J = ∂f(X)/∂α` with every source on the piece of its choice (symmetric, PSD).
    fn jacobian(&self, x: &[Self::Point], pieces: &Self::Pieces, sources: &[Self::Neuron], choices: &[ChoiceIn<Self>], masses: &[f64]) -> Array2<f64>;

    /// `φ(θ, x)`.
    fn phi(theta: Self::Neuron, x: Self::Point) -> f64;

    /// `|u − v|²`.
    fn dist2(u: Self::Neuron, v: Self::Neuron) -> f64;

    /// `|θ|²`.
    fn norm2(theta: Self::Neuron) -> f64;

    /// `max_i |x̃_i|` of the lifted points `x̃ = (x, 1)`: `|φ(θ, x)| ≤ |θ|² |x̃| / 2`.
    fn reach(x: &[Self::Point]) -> f64;

    /// Every piece of `pieces`.
    fn labels(pieces: &Self::Pieces) -> Vec<Self::Label>;

    /// The stationary point of piece `label` for source `t`, valid or not, and whether it is
    /// valid (`None` when the piece's quadratic is unbounded below).
    fn on_piece(pieces: &Self::Pieces, t: Self::Neuron, label: Self::Label) -> Option<(ChoiceIn<Self>, bool)>;

    /// Is the valid candidate `choice` a local minimum of `Q` for source `t`?
    fn is_local_min(pieces: &Self::Pieces, t: Self::Neuron, choice: &ChoiceIn<Self>) -> bool;

    /// Lower bounds of every source's nearest tie distance
    /// `min_c (Q_c − Q_best)/|φ(θ_c, X) − φ(θ_best, X)|` (over every valid piece, and over those
    /// that are local minima): a source whose bound exceeds a radius need not be examined.
    fn tie_bounds(&self, pieces: &Self::Pieces, sources: &[Self::Neuron], choices: &[ChoiceIn<Self>]) -> TieDistances;

    /// The curvature of `choice` (source `t`) with mass `m`.
    fn curvature(&self, x: &[Self::Point], pieces: &Self::Pieces, t: Self::Neuron, choice: &ChoiceIn<Self>, m: f64) -> Self::Curvature;

    /// `h += scale · J_c`.
    fn add_curvature(curvature: &Self::Curvature, h: &mut Array2<f64>, scale: f64);

    /// The largest `s` such that `α + s·d` stays in the domain (`∞` if it never leaves).
    fn domain_limit(&self, x: &[Self::Point], alpha: &[f64], d: &[f64]) -> f64;
}

/// Inputs on the line: the sectors and rays of the `(w, b)` plane ([`crate::dual::direction`]).
impl Geometry for Sectors {
    type Point = f64;
    type Neuron = [f64; 3];
    type Label = Candidate;
    type Pieces = Pieces;
    type Curvature = PieceCurvature;

    fn pieces(&self, x: &[f64], alpha: &[f64]) -> Pieces {
        Pieces::new(self, x, alpha)
    }

    fn in_domain(pieces: &Pieces) -> bool {
        pieces.in_domain()
    }

    fn best_all(pieces: &Pieces, sources: &[[f64; 3]]) -> Vec<Choice<[f64; 3], Candidate>> {
        pieces.best_all(sources)
    }

    fn fit(&self, x: &[f64], pieces: &Pieces, choices: &[Choice<[f64; 3], Candidate>], masses: &[f64]) -> Vec<f64> {
        let mut acc = Accumulator::new(self.len());
        for (c, &m) in choices.iter().zip(masses) {
            acc.add(pieces, c, m, false);
        }
        acc.fit(self, x)
    }

    fn jacobian(&self, x: &[f64], pieces: &Pieces, _sources: &[[f64; 3]], choices: &[Choice<[f64; 3], Candidate>], masses: &[f64]) -> Array2<f64> {
        let mut acc = Accumulator::new(self.len());
        for (c, &m) in choices.iter().zip(masses) {
            acc.add(pieces, c, m, true);
        }
        acc.jacobian(self, x)
    }

    fn phi(theta: [f64; 3], x: f64) -> f64 {
        phi(theta, x)
    }

    fn dist2(u: [f64; 3], v: [f64; 3]) -> f64 {
        crate::network::model::dist2(u, v)
    }

    fn norm2(t: [f64; 3]) -> f64 {
        t[0] * t[0] + t[1] * t[1] + t[2] * t[2]
    }

    fn reach(x: &[f64]) -> f64 {
        x.iter().fold(1.0f64, |m, x| m.max((1.0 + x * x).sqrt()))
    }

    fn labels(pieces: &Pieces) -> Vec<Candidate> {
        pieces.pieces().collect()
    }

    fn on_piece(pieces: &Pieces, t: [f64; 3], label: Candidate) -> Option<(Choice<[f64; 3], Candidate>, bool)> {
        pieces.on_piece(t, label)
    }

    fn is_local_min(pieces: &Pieces, t: [f64; 3], choice: &Choice<[f64; 3], Candidate>) -> bool {
        pieces.is_local_min(t, choice)
    }

    fn tie_bounds(&self, pieces: &Pieces, sources: &[[f64; 3]], choices: &[Choice<[f64; 3], Candidate>]) -> TieDistances {
        pieces.tie_bounds(sources, choices, self.pair_moments())
    }

    fn curvature(&self, x: &[f64], pieces: &Pieces, _t: [f64; 3], choice: &Choice<[f64; 3], Candidate>, m: f64) -> PieceCurvature {
        PieceCurvature::new(self, x, pieces, choice, m)
    }

    fn add_curvature(curvature: &PieceCurvature, h: &mut Array2<f64>, scale: f64) {
        curvature.add_to(h, scale);
    }

    fn domain_limit(&self, x: &[f64], alpha: &[f64], d: &[f64]) -> f64 {
        domain_limit(self, x, alpha, d)
    }
}
