//! The network (MATH §1): a neuron `θ = (a, w, b)` computes `φ(θ, x) = a·(w x + b)₊`,
//! 2-homogeneous in `θ`; a measure `Σ_j m_j δ(θ_j)` computes `f(x) = Σ_j m_j φ(θ_j, x)`.

/// `φ(θ, x) = a · (w x + b)₊`.
#[inline]
pub fn phi(theta: [f64; 3], x: f64) -> f64 {
    theta[0] * relu(theta[1] * x + theta[2])
}

/// `z₊ = max(z, 0)`. On wasm32 a compare and select: `f64::max` compiles there to a call of `fmax`
/// (WebAssembly's `f64.max` treats NaN and −0 differently from IEEE maxNum), and `φ` is in most
/// loops of the solver (measured: docs/SOLVER.md, "Measured choices"). Natively `f64::max`
/// (`maxsd`). The same value but for the sign of a zero.
#[inline(always)]
pub fn relu(z: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        if z > 0.0 { z } else { 0.0 }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        z.max(0.0)
    }
}

/// `f(x) = Σ_j mass_j φ(θ_j, x)` on every point of `grid`.
pub fn evaluate(neurons: &[[f64; 3]], mass: &[f64], grid: &[f64]) -> Vec<f64> {
    grid.iter()
        .map(|&x| neurons.iter().zip(mass).map(|(t, &m)| m * phi(*t, x)).sum())
        .collect()
}

/// `f(x) = Σ_j mass_j φ(θ_j, x)` on every point of `grid`, in `O((J + G) log(J + G))`: `f` is
/// piecewise linear with a kink at each `−b_j/w_j`, so a sweep over the sorted grid adds each
/// neuron's slope `m a w` and intercept `m a b` once its kink is passed (neurons with `w > 0`
/// from the left, `w < 0` from the right). Agrees with [`evaluate`] up to the round-off of
/// those sums (relative to `Σ_j |m_j a_j| (|w_j x| + |b_j|)`).
pub fn evaluate_sorted(neurons: &[[f64; 3]], mass: &[f64], grid: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..grid.len()).collect();
    order.sort_by(|&i, &j| grid[i].total_cmp(&grid[j]));
    let mut rising: Vec<(f64, f64, f64)> = Vec::new(); // (kink, slope, intercept), w > 0
    let mut falling: Vec<(f64, f64, f64)> = Vec::new(); // w < 0
    let mut constant = 0.0;
    for (t, &m) in neurons.iter().zip(mass) {
        let (a, w, b) = (t[0], t[1], t[2]);
        let scale = m * a;
        if scale == 0.0 {
            continue;
        }
        if w > 0.0 {
            rising.push((-b / w, scale * w, scale * b));
        } else if w < 0.0 {
            falling.push((-b / w, scale * w, scale * b));
        } else if b > 0.0 {
            constant += scale * b;
        }
    }
    rising.sort_by(|p, q| p.0.total_cmp(&q.0));
    falling.sort_by(|p, q| q.0.total_cmp(&p.0));
    let mut out = vec![constant; grid.len()];
    let (mut slope, mut intercept, mut next) = (0.0, 0.0, 0);
    for &i in &order {
        while next < rising.len() && rising[next].0 < grid[i] {
            slope += rising[next].1;
            intercept += rising[next].2;
            next += 1;
        }
        out[i] += slope * grid[i] + intercept;
    }
    let (mut slope, mut intercept, mut next) = (0.0, 0.0, 0);
    for &i in order.iter().rev() {
        while next < falling.len() && falling[next].0 > grid[i] {
            slope += falling[next].1;
            intercept += falling[next].2;
            next += 1;
        }
        out[i] += slope * grid[i] + intercept;
    }
    out
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
    fn sorted_sweep_matches_direct_sum() {
        // A deterministic pseudo-random set of neurons, including w = 0 and kinks on grid points.
        let mut neurons = Vec::new();
        let mut mass = Vec::new();
        for j in 0..300 {
            let s = (j as f64 * 0.618_033_988_749).fract();
            let r = (j as f64 * 0.414_213_562_373).fract();
            let w = if j % 17 == 0 { 0.0 } else { 2.0 * s - 1.0 };
            let b = if j % 23 == 0 { -w * 0.5 } else { 3.0 * r - 1.5 };
            neurons.push([(j as f64).sin(), w, b]);
            mass.push(0.5 + r);
        }
        let grid = linspace(-3.0, 3.0, 601);
        let direct = evaluate(&neurons, &mass, &grid);
        let fast = evaluate_sorted(&neurons, &mass, &grid);
        for (d, f) in direct.iter().zip(&fast) {
            assert!((d - f).abs() < 1e-11, "{d} vs {f}");
        }
        // Unsorted grids too.
        let shuffled: Vec<f64> = grid.iter().rev().copied().collect();
        let back = evaluate_sorted(&neurons, &mass, &shuffled);
        for (i, v) in back.iter().enumerate() {
            assert!((v - fast[600 - i]).abs() < 1e-12);
        }
    }

    #[test]
    fn linspace_hits_both_ends() {
        let g = linspace(-3.0, 3.0, 601);
        assert_eq!(g[0], -3.0);
        assert_eq!(g[600], 3.0);
        assert!((g[300]).abs() < 1e-15);
    }
}
