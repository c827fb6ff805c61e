//! The paper's table of transport costs: the exact `W²(ν_τ, τ'μ0)` between the scaling path's
//! measure at each path scale `τ` and the initialization at each scale `τ'`
//! ([`crate::numeric::transport`]: unregularized, certified by its dual; the paper's table is
//! entropic, so only its shape is comparable).
//!
//! `μ0 = Σ_p ω_p δ(θ̄_p)` is the initial measure at scale 1 (`init.neurons`, `init.weights`) and
//! `τ'μ0 = Σ_p ω_p δ(τ'θ̄_p)`; the path's measure at `τ` puts the mass `ω_p·share` on the neuron of
//! each row `[p, share, θ…]` (at its actual scale). Both have mass `Σ_p ω_p`. On the diagonal
//! (`τ' = τ`) the path's own plan — row `(p, share)` from `τθ̄_p` — is one coupling, so
//! `W²(ν_τ, τμ0) ≤ transport_cost(τ)`.
//!
//! ```text
//! {"path_taus":[τ…], "init_taus":[τ'…], "cost":[[W²(ν_τ_i, τ'_j μ0)]…], "gap":[[cost − dual]…],
//!  "path_transport_cost":[transport_cost(τ_i)…], "cheapest_path_tau":[argmin_τ cost(τ, τ'_j)…]}
//! ```
//!
//! The claim to compare: for a large initialization scale `τ'`, the cheapest path point is at
//! `τ = τ'` (each column's least entry on the diagonal).

use crate::input::error::{Error, Result};
use crate::input::params::check_tau;
use crate::numeric::transport::wasserstein2;
use crate::path::plane::PlanePathReport;
use crate::path::report::PathReport;
use serde::Serialize;

/// The table of `W²(ν_τ, τ'μ0)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransportTable {
    /// The path's scales `τ_i` (rows), increasing as in the path's report.
    pub path_taus: Vec<f64>,
    /// The initialization scales `τ'_j` (columns), as given.
    pub init_taus: Vec<f64>,
    /// `cost[i][j] = W²(ν_{τ_i}, τ'_j μ0)`, exact (unregularized).
    pub cost: Vec<Vec<f64>>,
    /// `gap[i][j]`: the entry's cost minus its dual value (the certificate: round-off).
    pub gap: Vec<Vec<f64>>,
    /// The path's own transport cost at `τ_i` (its plan from `τ_i μ0`), an upper bound on the
    /// diagonal entry `W²(ν_{τ_i}, τ_i μ0)`.
    pub path_transport_cost: Vec<f64>,
    /// For each `τ'_j`, the path scale `τ_i` of the least `cost[i][j]` (the first on ties).
    pub cheapest_path_tau: Vec<f64>,
}

/// The path's measure at one τ: `masses[k]` on `points[k]`; and the path's own transport cost.
struct PathMeasure<const D: usize> {
    tau: f64,
    points: Vec<[f64; D]>,
    masses: Vec<f64>,
    transport_cost: f64,
}

impl<const D: usize> PathMeasure<D> {
    /// `rows[k] = [p, share, θ…]` puts `weights[p]·share` on `θ` (`D` coordinates, after `p` and
    /// `share`).
    fn new(tau: f64, rows: impl Iterator<Item = impl AsRef<[f64]>>, weights: &[f64], transport_cost: f64) -> Result<Self> {
        let (mut points, mut masses) = (Vec::new(), Vec::new());
        for row in rows {
            let row = row.as_ref();
            if row.len() != D + 2 {
                return Err(Error::Usage(format!("transport table: a row of the path has {} numbers, not {}", row.len(), D + 2)));
            }
            let p = row[0];
            if !(p >= 0.0 && p.fract() == 0.0 && (p as usize) < weights.len()) {
                return Err(Error::Usage(format!("transport table: a row of the path names source {p}, not one of the {} initial neurons", weights.len())));
            }
            let mut theta = [0.0; D];
            theta.copy_from_slice(&row[2..]);
            points.push(theta);
            masses.push(weights[p as usize] * row[1]);
        }
        Ok(PathMeasure { tau, points, masses, transport_cost })
    }
}

/// The table of the path's measures against the initial measure `(neurons, weights)` at scale
/// 1, scaled by each of `init_taus`.
fn table<const D: usize>(path: &[PathMeasure<D>], neurons: &[[f64; D]], weights: &[f64], init_taus: &[f64]) -> Result<TransportTable> {
    if path.is_empty() || init_taus.is_empty() {
        return Err(Error::Usage("transport table: needs at least one path τ and one initialization τ'".into()));
    }
    for &t in init_taus {
        check_tau(t)?;
    }
    let mut cost = vec![vec![0.0; init_taus.len()]; path.len()];
    let mut gap = cost.clone();
    for (j, &t) in init_taus.iter().enumerate() {
        let scaled: Vec<[f64; D]> = neurons.iter().map(|th| th.map(|c| t * c)).collect();
        for (i, nu) in path.iter().enumerate() {
            let w = wasserstein2(&nu.points, &nu.masses, &scaled, weights)?;
            (cost[i][j], gap[i][j]) = (w.cost, w.gap);
        }
    }
    let path_taus: Vec<f64> = path.iter().map(|nu| nu.tau).collect();
    let cheapest_path_tau = (0..init_taus.len())
        .map(|j| {
            let best = (0..path.len()).fold(0, |b, i| if cost[i][j] < cost[b][j] { i } else { b });
            path_taus[best]
        })
        .collect();
    let path_transport_cost = path.iter().map(|nu| nu.transport_cost).collect();
    Ok(TransportTable { path_taus, init_taus: init_taus.to_vec(), cost, gap, path_transport_cost, cheapest_path_tau })
}

/// The table of a path for inputs in the plane against the initialization at each of
/// `init_taus` (neurons `(a, w₁, w₂, b)`).
///
/// Errors: [`Error::BadTau`] for an `init_taus` value that is not finite and positive;
/// [`Error::Usage`] for an empty path or `init_taus`, or a report whose rows do not fit its
/// initial measure (a source out of range, masses whose totals differ).
pub fn plane_transport_table(report: &PlanePathReport, init_taus: &[f64]) -> Result<TransportTable> {
    let weights = &report.init.weights;
    let path = report
        .path
        .iter()
        .map(|r| PathMeasure::<4>::new(r.tau, r.neurons.iter(), weights, r.transport_cost))
        .collect::<Result<Vec<_>>>()?;
    table(&path, &report.init.neurons, weights, init_taus)
}

/// The same for a path on the line (neurons `(a, w, b)`), with the same errors.
pub fn transport_table(report: &PathReport, init_taus: &[f64]) -> Result<TransportTable> {
    let weights = &report.init.weights;
    let path = report
        .path
        .iter()
        .map(|r| PathMeasure::<3>::new(r.tau, r.neurons.iter(), weights, r.transport_cost))
        .collect::<Result<Vec<_>>>()?;
    table(&path, &report.init.neurons, weights, init_taus)
}
