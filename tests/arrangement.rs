//! The per-source minimizer for inputs in the plane (`src/dual/arrangement/`, MATH §12)
//! against independent computations:
//! * brute force: `V_α(t) = min_w |w − w₀|² − a₀ g(w) − g(w)²/4` (the best `a = a₀ + g(w)/2`
//!   for each `w`) on a grid of `w` over a ball that must hold the minimizer, refined by a
//!   random-direction pattern search from the best grid points;
//! * the one-dimensional minimizer (`dual::direction`, sectors and rays of the line) on data
//!   with `x₂ = 0`, where `w₂` is free and `V₂(a₀, w₁, w₂, b) = V₁(a₀, w₁, b)`;
//! * `sup |g|` on the sphere by dense sampling;
//! * the dual's gradient by central differences.

mod common;

use common::Random;
use scaling_path::dual::arrangement::{Arrangement, Minimizer, Neuron, dual};
use scaling_path::dual::direction::Pieces;
use scaling_path::network::geometry::Sectors;

fn g(points: &[[f64; 2]], alpha: &[f64], w: &[f64; 3]) -> f64 {
    points.iter().zip(alpha).map(|(p, a)| a * (w[0] * p[0] + w[1] * p[1] + w[2]).max(0.0)).sum()
}

/// `min_a Q(a, w)`.
fn reduced(points: &[[f64; 2]], alpha: &[f64], t: &Neuron, w: &[f64; 3]) -> f64 {
    let gw = g(points, alpha, w);
    let d = (w[0] - t[1]).powi(2) + (w[1] - t[2]).powi(2) + (w[2] - t[3]).powi(2);
    d - t[0] * gw - 0.25 * gw * gw
}

/// Brute force: grids over the ball `|w| ≤ R` that holds every minimizer (from
/// `(1 − γ²/4)|w|² − (2|w₀| + 2|a₀|)|w| ≤ 0`, γ = sup|g| < 2) at seven scales, then a pattern
/// search from the 3 best points of each grid: 48 random directions per step, and, for the data planes within reach,
/// the point snapped onto each plane and onto each line of two, and moves along them.
fn brute_force(points: &[[f64; 2]], alpha: &[f64], gamma: f64, t: &Neuron, rng: &mut Random) -> f64 {
    let w0n = (t[1] * t[1] + t[2] * t[2] + t[3] * t[3]).sqrt();
    let r = (2.0 * w0n + 2.0 * t[0].abs()) / (1.0 - 0.25 * gamma * gamma) + 1e-9;
    // Grids of 17³ points at seven scales R·2⁻ᵏ, around the origin and around w₀ (the
    // reduced objective is not convex: a coarse grid alone misses minima near w₀ when R is large).
    let k = 8;
    let mut starts: Vec<(f64, [f64; 3])> = Vec::new();
    for scale in 0..7 {
        let radius = r * 0.5f64.powi(scale);
        for centre in [[0.0; 3], [t[1], t[2], t[3]]] {
            let mut grid: Vec<(f64, [f64; 3])> = Vec::with_capacity((2 * k + 1usize).pow(3));
            for i in -(k as i64)..=k as i64 {
                for j in -(k as i64)..=k as i64 {
                    for l in -(k as i64)..=k as i64 {
                        let h = radius / k as f64;
                        let w = [centre[0] + h * i as f64, centre[1] + h * j as f64, centre[2] + h * l as f64];
                        grid.push((reduced(points, alpha, t, &w), w));
                    }
                }
            }
            grid.sort_by(|a, b| a.0.total_cmp(&b.0));
            starts.extend(grid.iter().take(3).copied());
        }
    }
    let grid = starts;
    // The data's planes w·xᵢ = 0 (unit normals): the reduced objective is kinked across them,
    // so the search also snaps onto nearby planes and their lines and moves along them.
    let normals: Vec<[f64; 3]> = points.iter().map(|p| {
        let r = (p[0] * p[0] + p[1] * p[1] + 1.0).sqrt();
        [p[0] / r, p[1] / r, 1.0 / r]
    }).collect();
    let dot = |a: &[f64; 3], b: &[f64; 3]| a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    let along = |d: [f64; 3], n: &[f64; 3]| {
        let k = dot(&d, n);
        [d[0] - k * n[0], d[1] - k * n[1], d[2] - k * n[2]]
    };
    let mut best = f64::INFINITY;
    for &(mut value, mut w) in &grid {
        let mut step = r / k as f64;
        while step > 1e-11 * (1.0 + r) {
            let near: Vec<&[f64; 3]> = normals.iter().filter(|n| dot(&w, n).abs() <= 4.0 * step).collect();
            let mut trials: Vec<[f64; 3]> = Vec::new();
            for _ in 0..48 {
                let d = rng.unit();
                trials.push([w[0] + step * d[0], w[1] + step * d[1], w[2] + step * d[2]]);
            }
            for (q, n) in near.iter().enumerate() {
                let on = along(w, n);
                trials.push(on);
                for _ in 0..8 {
                    let d = along(rng.unit(), n);
                    trials.push([on[0] + step * d[0], on[1] + step * d[1], on[2] + step * d[2]]);
                }
                for m in &near[q + 1..] {
                    let l = [n[1] * m[2] - n[2] * m[1], n[2] * m[0] - n[0] * m[2], n[0] * m[1] - n[1] * m[0]];
                    let ll = dot(&l, &l);
                    if ll > 1e-20 {
                        let c = dot(&w, &l) / ll;
                        trials.push([c * l[0], c * l[1], c * l[2]]);
                        let ln = ll.sqrt();
                        for sign in [-1.0, 1.0] {
                            let c2 = c + sign * step / ln;
                            trials.push([c2 * l[0], c2 * l[1], c2 * l[2]]);
                        }
                    }
                }
            }
            let mut moved = false;
            for trial in trials {
                let v = reduced(points, alpha, t, &trial);
                if v < value {
                    (value, w, moved) = (v, trial, true);
                }
            }
            if !moved {
                step *= 0.5;
            }
        }
        best = best.min(value);
    }
    best
}

fn random_points(rng: &mut Random, n: usize) -> Vec<[f64; 2]> {
    (0..n).map(|_| [2.0 * rng.uniform() - 1.0, 2.0 * rng.uniform() - 1.0]).collect()
}

/// α in random directions scaled to `sup |g| = 2γ` (the domain's edge is at γ = 1).
fn alpha_at(arr: &Arrangement, rng: &mut Random, gamma: f64) -> Vec<f64> {
    let raw: Vec<f64> = (0..arr.n()).map(|_| rng.normal()).collect();
    let sup = Minimizer::new(arr, &raw).sup_abs_g;
    raw.iter().map(|a| a * 2.0 * gamma / sup).collect()
}

fn check_against_brute_force(points: &[[f64; 2]], seed: u64, sources: usize) {
    let arr = Arrangement::new(points);
    let mut rng = Random::new(seed);
    for gamma in [0.3, 0.9, 0.99] {
        let alpha = alpha_at(&arr, &mut rng, gamma);
        let m = Minimizer::new(&arr, &alpha);
        assert!(m.in_domain() && (m.sup_abs_g - 2.0 * gamma).abs() < 1e-12);
        for _ in 0..sources {
            let scale = if rng.uniform() < 0.5 { 1.0 } else { 3.0 };
            let t: Neuron = [scale * rng.normal(), scale * rng.normal(), scale * rng.normal(), scale * rng.normal()];
            let c = m.best(&t);
            let size = 1.0 + c.value.abs();
            // The value is attained at the reported θ*.
            assert!((m.objective(&t, &c.theta) - c.value).abs() <= 1e-11 * size, "{points:?} γ {gamma} t {t:?}: Q(θ*) = {} ≠ {}", m.objective(&t, &c.theta), c.value);
            let b = brute_force(points, &alpha, 2.0 * gamma, &t, &mut rng);
            assert!(c.value <= b + 1e-10 * size, "{points:?} γ {gamma} t {t:?}: the minimizer's {} is above brute force's {b} ({:?})", c.value, c.piece);
            assert!(b <= c.value + 1e-9 * size, "{points:?} γ {gamma} t {t:?}: brute force {b} did not reach {}", c.value);
        }
    }
}

#[test]
fn the_minimizer_matches_brute_force_on_random_data() {
    let mut rng = Random::new(7);
    for (k, n) in [1usize, 2, 3, 5, 8].into_iter().enumerate() {
        let points = random_points(&mut rng, n);
        check_against_brute_force(&points, 100 + k as u64, 30);
    }
}

#[test]
fn the_minimizer_matches_brute_force_on_collinear_points() {
    // Three and four points on one line (three planes through one line of w), and a 3 × 3 grid.
    let line = [[-0.8, -0.3], [0.0, 0.1], [0.6, 0.4], [0.9, 0.55], [0.2, -0.7]];
    check_against_brute_force(&line, 11, 12);
    let grid: Vec<[f64; 2]> = (0..9).map(|i| [(i % 3) as f64 - 1.0, (i / 3) as f64 - 1.0]).collect();
    check_against_brute_force(&grid, 12, 8);
}

#[test]
fn on_a_line_of_data_it_is_the_one_dimensional_minimizer() {
    let mut rng = Random::new(3);
    let x: Vec<f64> = vec![-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];
    let points: Vec<[f64; 2]> = x.iter().map(|&v| [v, 0.0]).collect();
    let arr = Arrangement::new(&points);
    let sectors = Sectors::new(&x);
    for gamma in [0.2, 0.7, 0.97] {
        let alpha = alpha_at(&arr, &mut rng, gamma);
        let m = Minimizer::new(&arr, &alpha);
        let pieces = Pieces::new(&sectors, &x, &alpha);
        // sup |g| over w ∈ R³ and over (w₁, b) agree: w₂ does not enter g.
        let sup1 = scaling_path::dual::direction::sup_g(&sectors, &x, &alpha);
        assert!((sup1 - m.sup_abs_g).abs() <= 1e-12 * sup1, "{sup1} vs {}", m.sup_abs_g);
        for _ in 0..300 {
            let t: Neuron = [2.0 * rng.normal(), 2.0 * rng.normal(), 2.0 * rng.normal(), 2.0 * rng.normal()];
            let two = m.best(&t);
            let one = pieces.best([t[0], t[1], t[3]]);
            assert!((two.value - one.value).abs() <= 1e-11 * (1.0 + one.value.abs()), "γ {gamma} t {t:?}: {} vs {}", two.value, one.value);
            assert!((two.theta[2] - t[2]).abs() <= 1e-11 * (1.0 + t[2].abs()), "w₂ stays at its source's value");
        }
    }
}

#[test]
fn sup_abs_g_matches_dense_sampling_of_the_sphere() {
    let mut rng = Random::new(5);
    for n in [2usize, 4, 7] {
        let points = random_points(&mut rng, n);
        let arr = Arrangement::new(&points);
        for _ in 0..3 {
            let alpha: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
            let sup = Minimizer::new(&arr, &alpha).sup_abs_g;
            // A Fibonacci sphere of 400 000 points: spacing ~ 6e-3 rad, so the sampled maximum is
            // within sup · (1 − cos 6e-3) ≈ 2e-5 · sup of the true one, and never above it.
            let k = 400_000;
            let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
            let mut sampled: f64 = 0.0;
            for i in 0..k {
                let z = 1.0 - 2.0 * (i as f64 + 0.5) / k as f64;
                let r = (1.0 - z * z).sqrt();
                let v = [r * (golden * i as f64).cos(), r * (golden * i as f64).sin(), z];
                sampled = sampled.max(g(&points, &alpha, &v).abs());
            }
            assert!(sampled <= sup * (1.0 + 1e-12), "n {n}: sampled {sampled} above the computed {sup}");
            assert!(sampled >= sup * (1.0 - 1e-4), "n {n}: sampled {sampled} far below the computed {sup}");
        }
    }
}

#[test]
fn alpha_zero_leaves_every_source_in_place() {
    let points = [[-0.5, 0.2], [0.3, -0.4], [0.8, 0.9]];
    let arr = Arrangement::new(&points);
    let m = Minimizer::new(&arr, &[0.0; 3]);
    let mut rng = Random::new(9);
    for _ in 0..50 {
        let t: Neuron = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
        let c = m.best(&t);
        assert!(c.value.abs() < 1e-14, "V₀(t) = 0");
        for (moved, source) in c.theta.iter().zip(&t) {
            assert!((moved - source).abs() < 1e-14, "θ* = t");
        }
    }
}

#[test]
fn the_gradient_matches_central_differences() {
    let mut rng = Random::new(21);
    let points = random_points(&mut rng, 5);
    let arr = Arrangement::new(&points);
    let y: Vec<f64> = (0..5).map(|_| rng.normal()).collect();
    let sources: Vec<Neuron> = (0..400).map(|_| [rng.normal(), rng.normal(), rng.normal(), rng.normal()]).collect();
    let weights = vec![1.0 / 400.0; 400];
    for gamma in [0.3, 0.8] {
        let alpha = alpha_at(&arr, &mut rng, gamma);
        let (_, grad) = dual(&arr, &y, &alpha, 1.5, &sources, &weights).expect("inside the domain");
        let h = 1e-6;
        for i in 0..5 {
            let mut up = alpha.clone();
            up[i] += h;
            let mut down = alpha.clone();
            down[i] -= h;
            let fd = (dual(&arr, &y, &up, 1.5, &sources, &weights).unwrap().0 - dual(&arr, &y, &down, 1.5, &sources, &weights).unwrap().0) / (2.0 * h);
            // Central differences of a piecewise-quadratic D: O(h²) off the ties, O(h) for the
            // few sources whose piece changes within ±h (weight 1/400 each).
            assert!((fd - grad[i]).abs() <= 1e-5 * (1.0 + grad[i].abs()), "γ {gamma}, ∂D/∂α_{i}: {} vs {fd}", grad[i]);
        }
    }
}
