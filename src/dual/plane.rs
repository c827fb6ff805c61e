//! Inputs in the plane (MATH §12): the [`Geometry`] of the arrangement of the data's planes
//! `w·xᵢ = 0` in `w = (w₁, w₂, b) ∈ R³`, over which the dual and the solver of one dimension run
//! unchanged. A data point `(x₁, x₂)` is lifted to `x = (x₁, x₂, 1)`, a neuron is
//! `θ = (a, w₁, w₂, b)` and `φ(θ, x) = a (w·x)₊`.
//!
//! The per-source minimizer, its faces and their curvature are [`crate::dual::arrangement`]'s;
//! this module only adapts them.

use crate::dual::arrangement::{Arrangement, Minimizer, Neuron, Piece};
use crate::dual::direction::TieDistances;
use crate::dual::geometry::{Choice, ChoiceIn, Geometry};
use crate::dual::DualProblem;
use ndarray::Array2;
use std::sync::Arc;

/// The arrangement of the data's planes, shared by every evaluation's [`Minimizer`].
#[derive(Debug, Clone)]
pub struct Plane {
    arrangement: Arc<Arrangement>,
}

impl Plane {
    /// The arrangement cut by `points` (pairwise distinct).
    pub fn new(points: &[[f64; 2]]) -> Plane {
        Plane { arrangement: Arc::new(Arrangement::new(points)) }
    }

    /// The arrangement.
    pub fn arrangement(&self) -> &Arrangement {
        &self.arrangement
    }
}

/// `|u − v|²` of two neurons.
fn dist2(u: &Neuron, v: &Neuron) -> f64 {
    (0..4).map(|k| (u[k] - v[k]) * (u[k] - v[k])).sum()
}

/// The minimizer's choice for source `t` as the solver's [`Choice`] (its cost `|θ − t|²`).
fn choice(c: crate::dual::arrangement::Choice, t: &Neuron) -> ChoiceIn<Plane> {
    Choice { value: c.value, cost: dist2(&c.theta, t), candidate: c.piece, theta: c.theta }
}

/// The solver's [`Choice`] back as the minimizer's.
fn minimizer_choice(c: &ChoiceIn<Plane>) -> crate::dual::arrangement::Choice {
    crate::dual::arrangement::Choice { theta: c.theta, value: c.value, piece: c.candidate }
}

impl Geometry for Plane {
    type Point = [f64; 2];
    type Neuron = Neuron;
    type Label = Piece;
    type Pieces = Minimizer<'static>;
    type Curvature = Vec<f64>;

    fn pieces(&self, _x: &[[f64; 2]], alpha: &[f64]) -> Minimizer<'static> {
        Minimizer::shared(Arc::clone(&self.arrangement), alpha)
    }

    fn in_domain(pieces: &Minimizer<'static>) -> bool {
        pieces.in_domain()
    }

    fn best_all(pieces: &Minimizer<'static>, sources: &[Neuron]) -> Vec<ChoiceIn<Plane>> {
        sources.iter().map(|t| choice(pieces.best(t), t)).collect()
    }

    fn fit(&self, x: &[[f64; 2]], _pieces: &Minimizer<'static>, choices: &[ChoiceIn<Plane>], masses: &[f64]) -> Vec<f64> {
        let mut f = vec![0.0; x.len()];
        for (c, &m) in choices.iter().zip(masses) {
            if c.theta[0] == 0.0 {
                continue;
            }
            for (fi, &xi) in f.iter_mut().zip(x) {
                *fi += m * Plane::phi(c.theta, xi);
            }
        }
        f
    }

    fn jacobian(&self, x: &[[f64; 2]], pieces: &Minimizer<'static>, sources: &[Neuron], choices: &[ChoiceIn<Plane>], masses: &[f64]) -> Array2<f64> {
        let n = x.len();
        let mut h = Array2::<f64>::zeros((n, n));
        for ((t, c), &m) in sources.iter().zip(choices).zip(masses) {
            let j = self.curvature(x, pieces, *t, c, m);
            Plane::add_curvature(&j, &mut h, 1.0);
        }
        h
    }

    fn phi(theta: Neuron, x: [f64; 2]) -> f64 {
        let z = theta[1] * x[0] + theta[2] * x[1] + theta[3];
        if z > 0.0 { theta[0] * z } else { 0.0 }
    }

    fn dist2(u: Neuron, v: Neuron) -> f64 {
        dist2(&u, &v)
    }

    fn norm2(t: Neuron) -> f64 {
        t[0] * t[0] + t[1] * t[1] + t[2] * t[2] + t[3] * t[3]
    }

    fn reach(x: &[[f64; 2]]) -> f64 {
        x.iter().fold(1.0f64, |m, p| m.max((1.0 + p[0] * p[0] + p[1] * p[1]).sqrt()))
    }

    fn labels(pieces: &Minimizer<'static>) -> Vec<Piece> {
        pieces.pieces().collect()
    }

    fn on_piece(pieces: &Minimizer<'static>, t: Neuron, label: Piece) -> Option<(ChoiceIn<Plane>, bool)> {
        pieces.on_piece(&t, label).map(|(c, valid)| (choice(c, &t), valid))
    }

    fn is_local_min(pieces: &Minimizer<'static>, t: Neuron, c: &ChoiceIn<Plane>) -> bool {
        pieces.is_local_min(&t, &minimizer_choice(c))
    }

    fn tie_bounds(&self, pieces: &Minimizer<'static>, sources: &[Neuron], choices: &[ChoiceIn<Plane>]) -> TieDistances {
        let all: Vec<f64> = sources.iter().zip(choices).map(|(t, c)| pieces.tie_bound(t, &minimizer_choice(c))).collect();
        TieDistances { local_minima: all.clone(), all }
    }

    fn curvature(&self, _x: &[[f64; 2]], pieces: &Minimizer<'static>, _t: Neuron, c: &ChoiceIn<Plane>, m: f64) -> Vec<f64> {
        pieces.curvature(&minimizer_choice(c), m)
    }

    fn add_curvature(curvature: &Vec<f64>, h: &mut Array2<f64>, scale: f64) {
        let n = h.nrows();
        for i in 0..n {
            for l in 0..n {
                h[[i, l]] += scale * curvature[i * n + l];
            }
        }
    }

    fn domain_limit(&self, _x: &[[f64; 2]], alpha: &[f64], d: &[f64]) -> f64 {
        Minimizer::shared(Arc::clone(&self.arrangement), alpha).domain_limit(d)
    }
}

impl DualProblem<Plane> {
    /// The dual problem of data `(x, y)` in the plane (pairwise distinct points), fit weight
    /// `λ`, scale `τ` and the sources `θ_p` (unit scale) with weights `ω_p`.
    pub fn plane(x: &[[f64; 2]], y: &[f64], lambda: f64, tau: f64, sources: Vec<Neuron>, weights: Vec<f64>) -> DualProblem<Plane> {
        DualProblem { x: x.to_vec(), y: y.to_vec(), lambda, tau, sources, weights, geometry: Plane::new(x) }
    }
}
