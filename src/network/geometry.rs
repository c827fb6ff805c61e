//! The sectors of the `(w, b)` plane cut by the data (MATH §7).
//!
//! Each distinct data abscissa `x_i` gives the line `w·x_i + b = 0`, i.e. the two unit rays
//! `±(1, −x_i)/√(1 + x_i²)`. Sorted by angle, the `2n'` rays (n' distinct abscissas) cut the
//! directions into `2n'` sectors; inside sector `k` the set of data points with `w x_i + b > 0`
//! is fixed. Ray `r` is the boundary between sector `r − 1` and sector `r` (cyclically), so
//! sector `k` spans the angles from ray `k` to ray `k + 1`.

use std::f64::consts::PI;
use std::sync::OnceLock;

/// The breakpoint rays and sectors for a set of data abscissas.
#[derive(Debug, Clone)]
pub struct Sectors {
    /// Angle in `[0, 2π)` of each ray, increasing.
    pub ray_angle: Vec<f64>,
    /// Unit vector `(w, b)` of each ray.
    pub ray: Vec<[f64; 2]>,
    /// `activation[r][i] = (e_r · (x_i, 1))₊`, the activation of data point `i` along ray `r`.
    pub activation: Vec<Vec<f64>>,
    /// `active[k][i]`: data point `i` is active (`w x_i + b > 0`) inside sector `k`.
    pub active: Vec<Vec<bool>>,
    /// The abscissas (for [`Sectors::pair_moments`]).
    x: Vec<f64>,
    /// Computed on first use.
    pair_moments: OnceLock<PairMoments>,
}

impl Sectors {
    /// Builds the rays and sectors for data abscissas `x` (duplicates allowed; at least one).
    pub fn new(x: &[f64]) -> Sectors {
        let mut distinct: Vec<f64> = x.to_vec();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        let mut rays: Vec<(f64, [f64; 2])> = Vec::with_capacity(2 * distinct.len());
        for &xi in &distinct {
            let norm = f64::sqrt(1.0 + xi * xi);
            let e = [1.0 / norm, -xi / norm];
            for s in [1.0, -1.0] {
                let v = [s * e[0], s * e[1]];
                let mut angle = libm::atan2(v[1], v[0]);
                if angle < 0.0 {
                    angle += 2.0 * PI;
                }
                rays.push((angle, v));
            }
        }
        rays.sort_by(|p, q| p.0.total_cmp(&q.0));
        let ray_angle: Vec<f64> = rays.iter().map(|r| r.0).collect();
        let ray: Vec<[f64; 2]> = rays.iter().map(|r| r.1).collect();
        let nr = ray.len();
        let activation = ray
            .iter()
            .map(|e| x.iter().map(|&xi| crate::network::model::relu(e[0] * xi + e[1])).collect())
            .collect();
        let active = (0..nr)
            .map(|k| {
                let mid = sector_bisector(&ray_angle, k);
                x.iter().map(|&xi| mid[0] * xi + mid[1] > 0.0).collect()
            })
            .collect();
        Sectors { ray_angle, ray, activation, active, x: x.to_vec(), pair_moments: OnceLock::new() }
    }

    /// The data moments of every pair of pieces ([`PairMoments`]), computed on first use.
    pub fn pair_moments(&self) -> &PairMoments {
        self.pair_moments.get_or_init(|| PairMoments::new(self))
    }

    /// Number of sectors (= number of rays).
    pub fn len(&self) -> usize {
        self.ray.len()
    }

    /// Always false: there is at least one data point, hence two sectors.
    pub fn is_empty(&self) -> bool {
        self.ray.is_empty()
    }

    /// Start and end angle of sector `k` (the end may exceed `2π` for the wrapping sector).
    pub fn sector_span(&self, k: usize) -> (f64, f64) {
        let start = self.ray_angle[k];
        let mut end = self.ray_angle[(k + 1) % self.len()];
        if end <= start {
            end += 2.0 * PI;
        }
        (start, end)
    }

    /// Index of the sector containing the `(w, b)` direction `u` (which must be nonzero).
    pub fn sector_of(&self, u: [f64; 2]) -> usize {
        let mut angle = libm::atan2(u[1], u[0]);
        if angle < 0.0 {
            angle += 2.0 * PI;
        }
        // The last ray with angle <= `angle`, cyclically.
        match self.ray_angle.partition_point(|&a| a <= angle) {
            0 => self.len() - 1,
            j => j - 1,
        }
    }
}

/// Second moments of the data over the points where two pieces of `G_α` are active, so that
/// `|φ(θ_c, X) − φ(θ_b, X)|²` costs `O(1)` instead of `O(n)`.
///
/// A neuron `θ = (a, w, b)` on a piece is linear on the data: `φ(θ, x_i) = z·x̃_i` with
/// `z = a (w, b)` and `x̃_i = (x_i, 1)` for the points `i ∈ A` active on the piece, 0 elsewhere
/// (interior of sector `k`: `active[k]`; ray `r`: the points active on both sides of it — the
/// ray's own point has `e_r·x̃ = 0`; dead neuron: none). So, with `M_S = Σ_{i∈S} x̃_i x̃_iᵀ`,
///
/// `|φ(θ_c, X) − φ(θ_b, X)|² = (z_c − z_b)ᵀ M_{A_c∩A_b} (z_c − z_b) + z_cᵀ M_{A_c∖A_b} z_c + z_bᵀ M_{A_b∖A_c} z_b`,
///
/// a sum of nonnegative terms (no cancellation when `θ_c ≈ θ_b`). Pieces are numbered as in
/// `Pieces::pieces`: sectors `0..s`, rays `s..2s`, the dead neuron `2s`.
#[derive(Debug, Clone)]
pub struct PairMoments {
    pieces: usize,
    /// Per pair `(c, b)`: `(Σx², Σx, count)` over `A_c∩A_b`, `A_c∖A_b`, `A_b∖A_c`.
    moments: Vec<[f64; 9]>,
}

impl PairMoments {
    fn new(sectors: &Sectors) -> PairMoments {
        let s = sectors.len();
        let pieces = 2 * s + 1;
        let n = sectors.x.len();
        let active: Vec<Vec<bool>> = (0..pieces)
            .map(|c| match c {
                c if c < s => sectors.active[c].clone(),
                c if c < 2 * s => {
                    let r = c - s;
                    (0..n).map(|i| sectors.active[r][i] && sectors.active[(r + s - 1) % s][i]).collect()
                }
                _ => vec![false; n],
            })
            .collect();
        let mut moments = Vec::with_capacity(pieces * pieces);
        for ac in &active {
            for ab in &active {
                let mut m = [0.0; 9];
                for (i, &xi) in sectors.x.iter().enumerate() {
                    let slot = match (ac[i], ab[i]) {
                        (true, true) => 0,
                        (true, false) => 3,
                        (false, true) => 6,
                        (false, false) => continue,
                    };
                    m[slot] += xi * xi;
                    m[slot + 1] += xi;
                    m[slot + 2] += 1.0;
                }
                moments.push(m);
            }
        }
        PairMoments { pieces, moments }
    }

    /// The moments of the pairs `(c, b)` for every `b`.
    #[inline]
    pub fn row(&self, c: usize) -> &[[f64; 9]] {
        &self.moments[c * self.pieces..(c + 1) * self.pieces]
    }

    /// `|φ(θ_c, X) − φ(θ_b, X)|²` from `z_c = a_c (w_c, b_c)`, `z_b` and the pair's moments.
    #[inline(always)]
    pub fn distance2(m: &[f64; 9], zc: [f64; 2], zb: [f64; 2]) -> f64 {
        let quad = |o: usize, v: [f64; 2]| m[o] * v[0] * v[0] + 2.0 * m[o + 1] * v[0] * v[1] + m[o + 2] * v[1] * v[1];
        quad(0, [zc[0] - zb[0], zc[1] - zb[1]]) + quad(3, zc) + quad(6, zb)
    }
}

/// Unit bisector of sector `k`.
fn sector_bisector(ray_angle: &[f64], k: usize) -> [f64; 2] {
    let n = ray_angle.len();
    let start = ray_angle[k];
    let mut end = ray_angle[(k + 1) % n];
    if end <= start {
        end += 2.0 * PI;
    }
    let mid = 0.5 * (start + end);
    [libm::cos(mid), libm::sin(mid)]
}

/// `u × v` (the z component of the 2-D cross product).
#[inline]
pub fn cross(u: [f64; 2], v: [f64; 2]) -> f64 {
    u[0] * v[1] - u[1] * v[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sectors_have_constant_activation() {
        let x = [-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];
        let s = Sectors::new(&x);
        assert_eq!(s.len(), 12);
        for k in 0..s.len() {
            let (a0, a1) = s.sector_span(k);
            for frac in [0.01, 0.3, 0.5, 0.77, 0.99] {
                let ang = a0 + frac * (a1 - a0);
                let u = [ang.cos(), ang.sin()];
                assert_eq!(s.sector_of(u), k);
                for (i, &xi) in x.iter().enumerate() {
                    assert_eq!(u[0] * xi + u[1] > 0.0, s.active[k][i], "sector {k} point {i}");
                }
            }
        }
    }

    #[test]
    fn rays_zero_their_own_point() {
        let x = [0.3, -2.0];
        let s = Sectors::new(&x);
        for (r, e) in s.ray.iter().enumerate() {
            let zeros = x.iter().filter(|&&xi| (e[0] * xi + e[1]).abs() < 1e-14).count();
            assert_eq!(zeros, 1, "ray {r}");
            assert!((e[0].hypot(e[1]) - 1.0).abs() < 1e-15);
        }
    }
}
