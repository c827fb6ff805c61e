//! The face-level operations of the per-source minimizer for inputs in the plane
//! (`src/dual/arrangement/faces.rs`, MATH §12) against independent computations:
//! * `on_piece` against `best` (the same point and value on the best's face; no valid face
//!   below it) and against `Q` evaluated directly at its valid points;
//! * `is_local_min` against `Q` at small perturbations of the point, and a search for a
//!   decreasing direction where it says no;
//! * `curvature` against central differences of `m φ(θ_c(α), X)` with the face held fixed,
//!   against second differences of the face's value `m V_c`, and, summed over the sources'
//!   best faces, against central differences of the fit `f(X)`;
//! * `domain_limit` against `in_domain` on either side of the limit.

mod common;

use common::Random;
use scaling_path::dual::arrangement::{Arrangement, Choice, Minimizer, Neuron, Piece};

impl Random {
    /// A random source: each coordinate normal, at scale 1 or 3.
    fn source(&mut self) -> Neuron {
        let scale = if self.uniform() < 0.5 { 1.0 } else { 3.0 };
        [scale * self.normal(), scale * self.normal(), scale * self.normal(), scale * self.normal()]
    }
}

fn dot(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn norm(a: &[f64; 3]) -> f64 {
    dot(a, a).sqrt()
}

fn cross(a: &[f64; 3], b: &[f64; 3]) -> [f64; 3] {
    [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
}

fn unit(v: &[f64; 3]) -> [f64; 3] {
    let r = norm(v);
    [v[0] / r, v[1] / r, v[2] / r]
}

fn lifted(points: &[[f64; 2]]) -> Vec<[f64; 3]> {
    points.iter().map(|p| [p[0], p[1], 1.0]).collect()
}

fn g(x: &[[f64; 3]], alpha: &[f64], w: &[f64; 3]) -> f64 {
    x.iter().zip(alpha).map(|(xi, a)| a * dot(w, xi).max(0.0)).sum()
}

/// `Q(θ) = |θ − t|² − a g(w)`, computed here.
fn q(x: &[[f64; 3]], alpha: &[f64], t: &Neuron, th: &Neuron) -> f64 {
    let d: f64 = (0..4).map(|k| (th[k] - t[k]).powi(2)).sum();
    d - th[0] * g(x, alpha, &[th[1], th[2], th[3]])
}

/// `min_a Q(a, w) = |w − w₀|² − a₀ g(w) − g(w)²/4` (at `a = a₀ + g(w)/2`).
fn reduced(x: &[[f64; 3]], alpha: &[f64], t: &Neuron, w: &[f64; 3]) -> f64 {
    let gw = g(x, alpha, w);
    (w[0] - t[1]).powi(2) + (w[1] - t[2]).powi(2) + (w[2] - t[3]).powi(2) - t[0] * gw - 0.25 * gw * gw
}

fn random_points(rng: &mut Random, n: usize) -> Vec<[f64; 2]> {
    (0..n).map(|_| [2.0 * rng.uniform() - 1.0, 2.0 * rng.uniform() - 1.0]).collect()
}

/// α in a random direction scaled to `sup |g| = 2γ` (the domain's edge is at γ = 1).
fn alpha_at(arr: &Arrangement, rng: &mut Random, gamma: f64) -> Vec<f64> {
    let raw: Vec<f64> = (0..arr.n()).map(|_| rng.normal()).collect();
    let sup = Minimizer::new(arr, &raw).sup_abs_g;
    raw.iter().map(|a| a * 2.0 * gamma / sup).collect()
}

/// Random data of 1 to 8 points, three collinear points with two more, and a 3 × 3 grid.
fn data_sets(rng: &mut Random) -> Vec<Vec<[f64; 2]>> {
    let mut sets: Vec<Vec<[f64; 2]>> = [1usize, 2, 3, 5, 8].iter().map(|&n| random_points(rng, n)).collect();
    sets.push(vec![[-0.8, -0.3], [0.0, 0.1], [0.6, 0.4], [0.9, 0.55], [0.2, -0.7]]);
    sets.push((0..9).map(|i| [(i % 3) as f64 - 1.0, (i / 3) as f64 - 1.0]).collect());
    sets
}

/// Every piece of `pieces()` with its point for `t`, and whether it is valid.
fn all_pieces(m: &Minimizer, t: &Neuron) -> Vec<(Choice, bool)> {
    m.pieces().map(|p| m.on_piece(t, p).expect("pieces() lists the convex faces")).collect()
}

#[test]
fn on_piece_agrees_with_best() {
    let mut rng = Random::new(31);
    let (mut valid_pieces, mut checked) = (0usize, 0usize);
    for points in data_sets(&mut rng) {
        let arr = Arrangement::new(&points);
        let x = lifted(&points);
        let (rays, wedges, cells) = arr.counts();
        for gamma in [0.3, 0.9, 0.99] {
            let alpha = alpha_at(&arr, &mut rng, gamma);
            let m = Minimizer::new(&arr, &alpha);
            // pieces() is every face with a convex quadratic, and the dead neuron once.
            let t0 = rng.source();
            let listed: Vec<Piece> = m.pieces().collect();
            let every = (0..cells as u32).map(Piece::Cell).chain((0..wedges as u32).map(Piece::Wedge)).chain((0..rays as u32).map(Piece::Ray));
            for p in every {
                assert_eq!(listed.contains(&p), m.on_piece(&t0, p).is_some(), "{p:?}");
            }
            assert_eq!(listed.iter().filter(|&&p| p == Piece::Dead).count(), 1);
            for _ in 0..100 {
                let t = rng.source();
                let best = m.best(&t);
                let (on, valid) = m.on_piece(&t, best.piece).expect("the best piece is convex");
                assert!(valid, "t {t:?}: the best piece {:?} is not valid", best.piece);
                assert_eq!(on.theta.map(f64::to_bits), best.theta.map(f64::to_bits), "t {t:?} {:?}", best.piece);
                assert_eq!(on.value.to_bits(), best.value.to_bits(), "t {t:?} {:?}", best.piece);
                let size = 1.0 + dot(&[t[1], t[2], t[3]], &[t[1], t[2], t[3]]) + t[0] * t[0];
                for (c, valid) in all_pieces(&m, &t) {
                    checked += 1;
                    if !valid {
                        continue;
                    }
                    valid_pieces += 1;
                    assert!(c.value >= best.value, "t {t:?}: valid {:?} at {} below the best {:?} at {}", c.piece, c.value, best.piece, best.value);
                    // A valid point lies on its face, where Q is the face's quadratic.
                    let qv = q(&x, &alpha, &t, &c.theta);
                    assert!((qv - c.value).abs() <= 1e-10 * size, "t {t:?} {:?}: Q(θ) = {qv} ≠ {}", c.piece, c.value);
                }
            }
        }
    }
    eprintln!("{checked} pieces checked, {valid_pieces} valid");
}

/// Directions of `w` along which `Q` is kinked at `w`: across and along each data plane through
/// `w` (all planes and their lines at `w = 0`).
fn kink_directions(x: &[[f64; 3]], w: &[f64; 3]) -> Vec<[f64; 3]> {
    let mut out = Vec::new();
    let wn = norm(w);
    let through: Vec<&[f64; 3]> = x.iter().filter(|xi| dot(w, xi).abs() <= 1e-9 * wn * norm(xi)).collect();
    for (k, xi) in through.iter().enumerate() {
        out.push(unit(xi));
        if wn > 0.0 {
            out.push(unit(&cross(w, xi)));
        }
        for xl in &through[k + 1..] {
            let l = cross(xi, xl);
            if norm(&l) > 0.0 {
                out.push(unit(&l));
            }
        }
    }
    let mirrored: Vec<[f64; 3]> = out.iter().map(|d| [-d[0], -d[1], -d[2]]).collect();
    out.extend(mirrored);
    out
}

/// The least `min_a Q(a, w + ε δ)` found over directions `δ`: the kink directions and random
/// ones, then a pattern search on the sphere from the best few.
fn least_nearby(x: &[[f64; 3]], alpha: &[f64], t: &Neuron, w: &[f64; 3], eps: f64, rng: &mut Random) -> f64 {
    let at = |d: &[f64; 3]| reduced(x, alpha, t, &[w[0] + eps * d[0], w[1] + eps * d[1], w[2] + eps * d[2]]);
    let mut dirs = kink_directions(x, w);
    dirs.extend((0..2000).map(|_| rng.unit()));
    let mut scored: Vec<(f64, [f64; 3])> = dirs.iter().map(|d| (at(d), *d)).collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut least = scored[0].0;
    for &(mut value, mut d) in scored.iter().take(4) {
        let mut step = 0.3;
        while step > 1e-6 {
            let mut moved = false;
            for _ in 0..24 {
                let e = rng.unit();
                let trial = unit(&[d[0] + step * e[0], d[1] + step * e[1], d[2] + step * e[2]]);
                let v = at(&trial);
                if v < value {
                    (value, d, moved) = (v, trial, true);
                }
            }
            if !moved {
                step *= 0.5;
            }
        }
        least = least.min(value);
    }
    least
}

fn kind(piece: Piece) -> usize {
    match piece {
        Piece::Cell(_) => 0,
        Piece::Wedge(_) => 1,
        Piece::Ray(_) => 2,
        Piece::Dead => 3,
    }
}

#[test]
fn local_minima_do_not_decrease_nearby_and_the_others_do() {
    let mut rng = Random::new(41);
    let (mut accepted, mut rejected) = ([0usize; 4], [0usize; 4]);
    let mut worst_drop: f64 = 0.0;
    for points in data_sets(&mut rng) {
        let arr = Arrangement::new(&points);
        let x = lifted(&points);
        // Random α, and α < 0 with sources a₀ > 0, w₀ = Σ βᵢ xᵢ, βᵢ ≥ 0: then
        // 2w₀·v + a₀ g(v) = Σᵢ (2βᵢ + a₀αᵢ[v·xᵢ > 0]) v·xᵢ ≤ 0 when every 2βᵢ < a₀|αᵢ|, and the
        // dead neuron is a local minimum (βᵢ drawn up to 1.2 a₀|αᵢ|/2: both outcomes).
        for (gamma, one_sign) in [(0.3, false), (0.9, false), (0.99, false), (0.5, true), (0.9, true)] {
            let mut alpha = alpha_at(&arr, &mut rng, gamma);
            if one_sign {
                alpha.iter_mut().for_each(|a| *a = -a.abs());
                let sup = Minimizer::new(&arr, &alpha).sup_abs_g;
                alpha.iter_mut().for_each(|a| *a *= 2.0 * gamma / sup);
            }
            let m = Minimizer::new(&arr, &alpha);
            for _ in 0..40 {
                let t = if one_sign {
                    let a0 = 0.5 + rng.normal().abs();
                    let mut t = [a0, 0.0, 0.0, 0.0];
                    for (xi, al) in x.iter().zip(&alpha) {
                        let beta = 0.6 * rng.uniform() * a0 * al.abs();
                        (1..4).for_each(|q| t[q] += beta * xi[q - 1]);
                    }
                    t
                } else {
                    rng.source()
                };
                let best = m.best(&t);
                assert!(m.is_local_min(&t, &best), "t {t:?}: the global minimizer {:?} is not a local minimum", best.piece);
                for (c, valid) in all_pieces(&m, &t) {
                    if !valid {
                        continue;
                    }
                    let th = c.theta;
                    let w = [th[1], th[2], th[3]];
                    let scale = 1.0 + norm(&w) + th[0].abs();
                    let q0 = q(&x, &alpha, &t, &th);
                    if m.is_local_min(&t, &c) {
                        accepted[kind(c.piece)] += 1;
                        // Q(θ + εδ) ≥ Q(θ) up to the second-order term of an adjacent cell whose
                        // quadratic is indefinite (|ε|² · 3) and round-off.
                        let eps = 1e-6 * scale;
                        let slack = 10.0 * eps * eps + 1e-14 * (1.0 + q0.abs());
                        let mut dirs: Vec<Neuron> = kink_directions(&x, &w).iter().map(|d| [0.0, d[0], d[1], d[2]]).collect();
                        dirs.extend((0..300).map(|_| {
                            let (d, a) = (rng.unit(), rng.normal());
                            let r = (1.0 + a * a).sqrt();
                            [a / r, d[0] / r, d[1] / r, d[2] / r]
                        }));
                        for d in dirs {
                            let moved: Neuron = std::array::from_fn(|k| th[k] + eps * d[k]);
                            let drop = q0 - q(&x, &alpha, &t, &moved);
                            worst_drop = worst_drop.max(drop / (eps * eps));
                            assert!(drop <= slack, "t {t:?} {:?} (a local minimum): Q drops by {drop:e} along {d:?}", c.piece);
                        }
                    } else {
                        rejected[kind(c.piece)] += 1;
                        assert!(!matches!(c.piece, Piece::Cell(_)), "a cell's point is always a local minimum");
                        let below = q0 - 1e-14 * (1.0 + q0.abs());
                        let found = [1e-3, 1e-5, 1e-7].iter().any(|&e| least_nearby(&x, &alpha, &t, &w, e * scale, &mut rng) < below);
                        assert!(found, "t {t:?} {:?} θ {th:?}: rejected, but no decrease of Q found nearby", c.piece);
                    }
                }
            }
        }
    }
    eprintln!("local minima (cells, wedges, rays, dead): accepted {accepted:?}, rejected {rejected:?}; worst drop {worst_drop:.3} ε²");
    assert!(accepted.iter().all(|&k| k > 0) && rejected[1..].iter().all(|&k| k > 0), "every kind of face accepted and rejected somewhere");
}

/// `m φ(θ, X)` with the points at `on_plane` (on the face's planes) inactive.
fn fit_of(x: &[[f64; 3]], th: &Neuron, mass: f64, on_plane: &[bool]) -> Vec<f64> {
    x.iter().zip(on_plane).map(|(xi, &p)| if p { 0.0 } else { mass * th[0] * dot(&[th[1], th[2], th[3]], xi).max(0.0) }).collect()
}

#[test]
fn curvature_matches_finite_differences_with_the_face_held() {
    let mut rng = Random::new(51);
    let mass = 1.7;
    let (mut checked, mut skipped) = (0usize, 0usize);
    let (mut worst_fd, mut worst_second, mut worst_asym): (f64, f64, f64) = (0.0, 0.0, 0.0);
    for points in data_sets(&mut rng) {
        let arr = Arrangement::new(&points);
        let x = lifted(&points);
        let n = arr.n();
        for gamma in [0.3, 0.9] {
            let alpha = alpha_at(&arr, &mut rng, gamma);
            let m = Minimizer::new(&arr, &alpha);
            let shifted = |k: usize, h: f64| -> Vec<f64> {
                let mut a = alpha.clone();
                a[k] += h;
                a
            };
            for _ in 0..25 {
                let t = rng.source();
                'piece: for (c, valid) in all_pieces(&m, &t) {
                    if !valid {
                        continue;
                    }
                    let j = m.curvature(&c, mass);
                    assert_eq!(j.len(), n * n);
                    let big = j.iter().fold(0.0f64, |s, v| s.max(v.abs()));
                    if c.piece == Piece::Dead {
                        assert!(j.iter().all(|&v| v == 0.0));
                        continue;
                    }
                    for i in 0..n {
                        for l in 0..n {
                            worst_asym = worst_asym.max((j[i * n + l] - j[l * n + i]).abs() / big.max(f64::MIN_POSITIVE));
                        }
                    }
                    // Central differences of m φ(θ_c(α), X), the face held: the same piece at α ± h eₖ.
                    let w = [c.theta[1], c.theta[2], c.theta[3]];
                    let on_plane: Vec<bool> = x.iter().map(|xi| dot(&w, xi).abs() <= 1e-9 * norm(&w) * norm(xi)).collect();
                    let h = 1e-6;
                    let mut fd = vec![0.0; n * n];
                    for k in 0..n {
                        let mut sides = Vec::new();
                        for sign in [1.0, -1.0] {
                            let a = shifted(k, sign * h);
                            let ms = Minimizer::new(&arr, &a);
                            let Some((cs, _)) = ms.on_piece(&t, c.piece) else {
                                skipped += 1;
                                continue 'piece;
                            };
                            let ws = [cs.theta[1], cs.theta[2], cs.theta[3]];
                            // The activation pattern must not change between α and α ± h eₖ.
                            if x.iter().zip(&on_plane).any(|(xi, &p)| !p && (dot(&ws, xi) > 0.0) != (dot(&w, xi) > 0.0)) {
                                skipped += 1;
                                continue 'piece;
                            }
                            sides.push(fit_of(&x, &cs.theta, mass, &on_plane));
                        }
                        for i in 0..n {
                            fd[i * n + k] = (sides[0][i] - sides[1][i]) / (2.0 * h);
                        }
                    }
                    let err = (0..n * n).map(|e| (fd[e] - j[e]).abs()).fold(0.0, f64::max) / big.max(1e-300);
                    assert!(err <= 1e-6, "t {t:?} {:?}: curvature vs differences {err:e} (max |J| {big:e})", c.piece);
                    worst_fd = worst_fd.max(err);
                    // J = −∂²(m V_c)/∂α², by second differences of the face's value at steps 2h
                    // and h extrapolated (Richardson: error O(h⁴)); h = 1e-3, less near the face's
                    // pole (|Ps| → 2, where J ~ m|θ|²/D grows); their round-off ~1e-16 |m V_c| / h²
                    // is allowed 100 times over.
                    let h2 = 1e-3 * (mass * (1.0 + c.theta.iter().map(|v| v * v).sum::<f64>()) / big).min(1.0);
                    let value = |a: &[f64]| Minimizer::new(&arr, a).on_piece(&t, c.piece).map(|(cs, _)| mass * cs.value);
                    let second = |i: usize, l: usize, h2: f64| -> Option<f64> {
                        let corner = |si: f64, sl: f64| {
                            let mut a = alpha.clone();
                            a[i] += si * h2;
                            a[l] += sl * h2;
                            value(&a)
                        };
                        Some(-(corner(1.0, 1.0)? - corner(1.0, -1.0)? - corner(-1.0, 1.0)? + corner(-1.0, -1.0)?) / (4.0 * h2 * h2))
                    };
                    let mut err2: f64 = 0.0;
                    for i in 0..n {
                        for l in i..n {
                            let (Some(coarse), Some(fine)) = (second(i, l, 2.0 * h2), second(i, l, h2)) else { continue };
                            let extrapolated = (4.0 * fine - coarse) / 3.0;
                            let allowed = 1e-5 * big + 1e-14 * mass * (1.0 + c.value.abs()) / (h2 * h2);
                            err2 = err2.max((extrapolated - j[i * n + l]).abs() / allowed);
                        }
                    }
                    assert!(err2 <= 1.0, "t {t:?} {:?}: curvature vs second differences of the value: {err2:e} of the allowance", c.piece);
                    worst_second = worst_second.max(err2);
                    checked += 1;
                }
            }
        }
    }
    eprintln!("curvature: {checked} faces checked ({skipped} skipped); worst relative error {worst_fd:.2e} (φ)");
    eprintln!("  {worst_second:.2e} of the allowance (V''), asymmetry {worst_asym:.1e}");
    assert!(worst_asym <= 1e-10, "asymmetry {worst_asym:e}");
    assert!(checked > 1000 && skipped * 20 < checked, "{checked} checked, {skipped} skipped");
}

#[test]
fn the_best_faces_curvatures_sum_to_the_fit_jacobian() {
    let mut rng = Random::new(61);
    let mut worst: f64 = 0.0;
    for n in [3usize, 5, 8] {
        let points = random_points(&mut rng, n);
        let arr = Arrangement::new(&points);
        let x = lifted(&points);
        for gamma in [0.1, 0.3] {
            let alpha = alpha_at(&arr, &mut rng, gamma);
            let m = Minimizer::new(&arr, &alpha);
            let h = 1e-6;
            let perturbed: Vec<[Vec<f64>; 2]> = (0..n)
                .map(|k| {
                    [1.0, -1.0].map(|s| {
                        let mut a = alpha.clone();
                        a[k] += s * h;
                        a
                    })
                })
                .collect();
            let sources: Vec<Neuron> = (0..300).map(|_| rng.source()).collect();
            let mass = 2.0 / sources.len() as f64;
            let mut jac = vec![0.0; n * n];
            let mut kept = Vec::new();
            for t in &sources {
                let best = m.best(t);
                // Away from ties: every other valid face at least 1e-6 above, and the same
                // face best at every α ± h eₖ.
                let others = all_pieces(&m, t).into_iter().filter(|(c, v)| *v && c.piece != best.piece);
                let gap = others.map(|(c, _)| c.value - best.value).fold(f64::INFINITY, f64::min);
                let stable = perturbed.iter().flatten().all(|a| Minimizer::new(&arr, a).best(t).piece == best.piece);
                if gap <= 1e-6 * (1.0 + best.value.abs()) || !stable {
                    continue;
                }
                for (s, v) in jac.iter_mut().zip(m.curvature(&best, mass)) {
                    *s += v;
                }
                kept.push(*t);
            }
            let fit = |a: &[f64]| -> Vec<f64> {
                let mm = Minimizer::new(&arr, a);
                let mut f = vec![0.0; n];
                for t in &kept {
                    let th = mm.best(t).theta;
                    for (fi, xi) in f.iter_mut().zip(&x) {
                        *fi += mass * th[0] * dot(&[th[1], th[2], th[3]], xi).max(0.0);
                    }
                }
                f
            };
            let big = jac.iter().fold(0.0f64, |s, v| s.max(v.abs()));
            let mut err: f64 = 0.0;
            for (k, [up, down]) in perturbed.iter().enumerate() {
                let (fu, fd) = (fit(up), fit(down));
                for i in 0..n {
                    err = err.max(((fu[i] - fd[i]) / (2.0 * h) - jac[i * n + k]).abs() / big);
                }
            }
            eprintln!("n {n} γ {gamma}: {} of {} sources away from ties; fit Jacobian error {err:.2e} (max |J| {big:.3})", kept.len(), sources.len());
            assert!(kept.len() * 10 >= sources.len() * 9, "only {} sources away from ties", kept.len());
            assert!(err <= 1e-6, "n {n} γ {gamma}: Σ curvature vs the fit's differences {err:e}");
            worst = worst.max(err);
        }
    }
    eprintln!("worst fit Jacobian error {worst:.2e}");
}

#[test]
fn domain_limit_is_the_edge_of_the_domain() {
    let mut rng = Random::new(71);
    let in_domain = |arr: &Arrangement, alpha: &[f64], d: &[f64], s: f64| {
        let a: Vec<f64> = alpha.iter().zip(d).map(|(a, d)| a + s * d).collect();
        Minimizer::new(arr, &a).in_domain()
    };
    for points in data_sets(&mut rng) {
        let arr = Arrangement::new(&points);
        let n = arr.n();
        for gamma in [0.0, 0.3, 0.9, 0.999] {
            let alpha = alpha_at(&arr, &mut rng, gamma);
            let m = Minimizer::new(&arr, &alpha);
            for scale in [1e-3, 1.0, 1e3] {
                let d: Vec<f64> = (0..n).map(|_| scale * rng.normal()).collect();
                let t = m.domain_limit(&d);
                assert!(t.is_finite() && t > 0.0, "γ {gamma}: limit {t}");
                for (s, inside) in [(0.999, true), (1.0 - 1e-9, true), (1.0 + 1e-9, false), (1.001, false)] {
                    assert_eq!(in_domain(&arr, &alpha, &d, s * t), inside, "{points:?} γ {gamma}: α + {s} t d with t = {t}");
                }
                // From α = 0 the limit is 2/sup |g_d| (g is linear in α).
                let from_zero = Minimizer::new(&arr, &vec![0.0; n]).domain_limit(&d);
                let expected = 2.0 / Minimizer::new(&arr, &d).sup_abs_g;
                assert!((from_zero - expected).abs() <= 1e-14 * expected, "{from_zero} vs {expected}");
            }
            assert_eq!(m.domain_limit(&vec![0.0; n]), f64::INFINITY);
        }
        let outside: Vec<f64> = alpha_at(&arr, &mut rng, 1.2);
        assert_eq!(Minimizer::new(&arr, &outside).domain_limit(&vec![1.0; n]), 0.0);
    }
}

/// `tie_bound` never exceeds the exact nearest tie distance over the valid pieces (each from
/// `on_piece`, its `φ(θ, X)` computed here), and is not vacuous: positive on most sources (the
/// solver skips a source whose bound exceeds its radius; a zero bound skips nothing).
#[test]
fn tie_bound_is_a_lower_bound_of_the_nearest_tie() {
    let mut rng = Random::new(77);
    let (mut sources, mut tight) = (0usize, 0usize);
    for points in data_sets(&mut rng) {
        let arr = Arrangement::new(&points);
        let x = lifted(&points);
        let phi = |th: &Neuron| -> Vec<f64> { x.iter().map(|xi| th[0] * (th[1] * xi[0] + th[2] * xi[1] + th[3] * xi[2]).max(0.0)).collect() };
        for gamma in [0.3, 0.9, 0.99] {
            let alpha = alpha_at(&arr, &mut rng, gamma);
            let m = Minimizer::new(&arr, &alpha);
            for _ in 0..60 {
                let t = rng.source();
                let best = m.best(&t);
                let phi_b = phi(&best.theta);
                let exact = all_pieces(&m, &t)
                    .into_iter()
                    .filter(|(c, valid)| *valid && c.piece != best.piece)
                    .map(|(c, _)| {
                        let d = phi(&c.theta).iter().zip(&phi_b).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
                        (c.value - best.value) / d.max(f64::MIN_POSITIVE)
                    })
                    .fold(f64::INFINITY, f64::min);
                let bound = m.tie_bound(&t, &best);
                assert!(bound <= exact, "t {t:?}: bound {bound} above the nearest tie {exact}");
                sources += 1;
                if bound > 0.0 {
                    tight += 1;
                }
            }
        }
    }
    eprintln!("the bound is positive on {tight} of {sources} sources");
    assert!(tight * 2 > sources, "the bound is positive on {tight} of {sources} sources only");
}
