//! The network (MATH §1): a neuron `θ = (a, w, b)` computes `φ(θ, x) = a·(w x + b)₊`,
//! 2-homogeneous in `θ`; a measure `Σ_j m_j δ(θ_j)` computes `f(x) = Σ_j m_j φ(θ_j, x)`.

/// `φ(θ, x) = a · (w x + b)₊`.
#[inline]
pub fn phi(theta: [f64; 3], x: f64) -> f64 {
    theta[0] * (theta[1] * x + theta[2]).max(0.0)
}

/// `f(x) = Σ_j mass_j φ(θ_j, x)` on every point of `grid`.
pub fn evaluate(neurons: &[[f64; 3]], mass: &[f64], grid: &[f64]) -> Vec<f64> {
    grid.iter()
        .map(|&x| neurons.iter().zip(mass).map(|(t, &m)| m * phi(*t, x)).sum())
        .collect()
}

/// `|u − v|²` for vectors of `R³`.
#[inline]
pub fn dist2(u: [f64; 3], v: [f64; 3]) -> f64 {
    let d = [u[0] - v[0], u[1] - v[1], u[2] - v[2]];
    d[0] * d[0] + d[1] * d[1] + d[2] * d[2]
}

/// `count` equally spaced points from `min` to `max` inclusive.
pub fn linspace(min: f64, max: f64, count: usize) -> Vec<f64> {
    if count == 1 {
        return vec![min];
    }
    let step = (max - min) / (count - 1) as f64;
    (0..count).map(|i| if i + 1 == count { max } else { min + step * i as f64 }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phi_is_two_homogeneous() {
        let t = [0.7, -1.3, 0.4];
        for &x in &[-2.0, -0.1, 0.0, 0.5, 3.0] {
            for &r in &[0.0, 0.5, 2.0, 10.0] {
                let scaled = [r * t[0], r * t[1], r * t[2]];
                assert!((phi(scaled, x) - r * r * phi(t, x)).abs() < 1e-12);
            }
        }
        assert_eq!(phi([2.0, 1.0, -1.0], 0.5), 0.0);
        assert_eq!(phi([2.0, 1.0, -1.0], 3.0), 4.0);
    }

    #[test]
    fn linspace_hits_both_ends() {
        let g = linspace(-3.0, 3.0, 601);
        assert_eq!(g[0], -3.0);
        assert_eq!(g[600], 3.0);
        assert!((g[300]).abs() < 1e-15);
    }
}
