//! Gradient descent (MATH §3) against independent computations: the loss, the fit and the
//! tangent kernel recomputed here from the neurons by direct sums, the gradient against central
//! finite differences of that loss, a step against `−(η/ω) ∇L`, the top eigenvalue against power
//! iteration, and the final cost against the scaling path from the same neurons (MATH §8, §10:
//! `W_path ≤ W_gd`).

use scaling_path::gd::{CONVERGED, GdParams, GdSettings, GradientDescent, MAX_STEPS, Status, StallReason};
use scaling_path::network::init::{InitialMeasure, Law, Width};
use scaling_path::{Data, Error, PathParams, solve_path};

/// Four points on which gradient descent interpolates from every scale τ ∈ [1e-3, 1e3] (for
/// m = 100…400 and several seeds; on the example below small τ can end at a stationary point).
const X: [f64; 4] = [-1.2, -0.3, 0.4, 1.3];
const Y: [f64; 4] = [0.2, -0.5, 0.4, -0.1];
/// `examples/data/example.csv`.
const EX_X: [f64; 6] = [-1.6, -0.9, -0.2, 0.5, 1.1, 1.7];
const EX_Y: [f64; 6] = [0.3, -0.4, 0.6, -0.1, 0.5, -0.3];
const TAUS: [f64; 7] = [1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1e3];

fn sampled(m: usize, seed: u64, symmetric: bool, x: &[f64]) -> InitialMeasure {
    InitialMeasure::new(Law::Gaussian, symmetric, Width::Neurons { m, seed }, x).expect("valid width")
}

/// `f(x) = Σ_j ω_j a_j (w_j x + b_j)₊`, summed directly.
fn direct_fit(neurons: &[[f64; 3]], weights: &[f64], x: f64) -> f64 {
    neurons.iter().zip(weights).map(|(t, w)| w * t[0] * (t[1] * x + t[2]).max(0.0)).sum()
}

/// `L = (1/2n) Σ_i (f(x_i) − y_i)²`, summed directly.
fn direct_loss(neurons: &[[f64; 3]], weights: &[f64], x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y).map(|(&xi, &yi)| (direct_fit(neurons, weights, xi) - yi).powi(2)).sum::<f64>() / (2.0 * x.len() as f64)
}

/// `K_ik = Σ_j ω_j ∇φ(θ_j, x_i)·∇φ(θ_j, x_k)` with `∇φ = ((w x + b)₊, a x 1{·}, a 1{·})`.
fn direct_kernel(neurons: &[[f64; 3]], weights: &[f64], x: &[f64]) -> Vec<Vec<f64>> {
    let grad = |t: &[f64; 3], v: f64| {
        let z = t[1] * v + t[2];
        if z > 0.0 { [z, t[0] * v, t[0]] } else { [0.0; 3] }
    };
    x.iter()
        .map(|&xi| {
            x.iter()
                .map(|&xk| {
                    neurons.iter().zip(weights).map(|(t, w)| {
                        let (g, h) = (grad(t, xi), grad(t, xk));
                        w * (g[0] * h[0] + g[1] * h[1] + g[2] * h[2])
                    }).sum()
                })
                .collect()
        })
        .collect()
}

/// `λ_max` of a symmetric positive semidefinite matrix by power iteration (many iterations
/// from a positive vector: the top eigenvector of a kernel matrix has a nonzero component on it).
fn power_iteration(k: &[Vec<f64>]) -> f64 {
    let n = k.len();
    let mut v = vec![1.0 / (n as f64).sqrt(); n];
    let mut lambda = 0.0;
    for _ in 0..20_000 {
        let w: Vec<f64> = (0..n).map(|i| (0..n).map(|j| k[i][j] * v[j]).sum()).collect();
        let norm = w.iter().map(|a| a * a).sum::<f64>().sqrt();
        lambda = v.iter().zip(&w).map(|(a, b)| a * b).sum();
        v = w.iter().map(|a| a / norm).collect();
    }
    lambda
}

fn mean_square(y: &[f64]) -> f64 {
    y.iter().map(|v| v * v).sum::<f64>() / y.len() as f64
}

#[test]
fn gradient_matches_central_differences() {
    for (symmetric, tau, steps) in [(false, 1.0, 0), (false, 1.0, 25), (true, 0.3, 40)] {
        let init = sampled(30, 5, symmetric, &EX_X);
        let mut gd = GradientDescent::new(&EX_X, &EX_Y, &init, tau).unwrap();
        gd.advance(steps);
        let (theta, weights) = (gd.neurons(), gd.weights().to_vec());
        let grad = gd.gradient();
        let mut checked = 0;
        let mut worst: f64 = 0.0;
        for j in 0..theta.len() {
            // Central differences are only valid away from the kinks of the neuron.
            let [_, w, b] = theta[j];
            if EX_X.iter().any(|&x| (w * x + b).abs() < 1e-3) {
                continue;
            }
            for k in 0..3 {
                let h = 1e-5 * theta[j][k].abs().max(1.0);
                let shifted = |s: f64| {
                    let mut t = theta.clone();
                    t[j][k] += s * h;
                    direct_loss(&t, &weights, &EX_X, &EX_Y)
                };
                let fd = (shifted(1.0) - shifted(-1.0)) / (2.0 * h);
                // Round-off of the difference: a few ε L / h; truncation: O(h²), relative.
                let tol = 8.0 * f64::EPSILON * gd.loss() / h + 1e-8 * grad[j][k].abs();
                let err = (fd - grad[j][k]).abs();
                worst = worst.max(err / tol);
                assert!(err <= tol, "tau {tau}, steps {steps}: neuron {j}, coordinate {k}: fd {fd:e} vs gradient {:e}", grad[j][k]);
                checked += 1;
            }
        }
        assert!(checked >= 60, "only {checked} coordinates away from kinks");
        eprintln!("tau {tau}, steps {steps}: {checked} coordinates, worst error / tolerance {worst:.2}");
    }
}

#[test]
fn a_step_moves_each_neuron_by_minus_eta_over_weight_times_the_gradient() {
    for tau in [1e-2, 1.0, 100.0] {
        let init = sampled(40, 11, true, &EX_X);
        let mut gd = GradientDescent::new(&EX_X, &EX_Y, &init, tau).unwrap();
        gd.advance(7);
        let (before, grad) = (gd.neurons(), gd.gradient());
        assert_eq!(gd.advance(1), Status::Running);
        let (after, eta) = (gd.neurons(), gd.step_size());
        let largest = before.iter().zip(&after).flat_map(|(p, q)| (0..3).map(move |k| (q[k] - p[k]).abs())).fold(0.0, f64::max);
        assert!(largest > 0.0);
        for j in 0..before.len() {
            for k in 0..3 {
                let expected = -eta / init.weights[j] * grad[j][k];
                let moved = after[j][k] - before[j][k];
                // The step sums the gradient in another order; θ is τθ̄ + displacement (rounded).
                let tol = 1e-12 * largest + 4.0 * f64::EPSILON * before[j][k].abs();
                assert!((moved - expected).abs() <= tol, "tau {tau}, neuron {j}.{k}: moved {moved:e}, expected {expected:e}");
            }
        }
    }
}

#[test]
fn fit_loss_and_kernel_match_direct_sums() {
    let init = sampled(60, 2, false, &EX_X);
    for tau in [1e-2, 1.0, 100.0] {
        let mut gd = GradientDescent::new(&EX_X, &EX_Y, &init, tau).unwrap();
        // At θ(0) the kernel was just computed exactly.
        let k0 = direct_kernel(&gd.neurons(), gd.weights(), &EX_X);
        let lambda = power_iteration(&k0);
        let top = gd.kernel_top_eigenvalue();
        assert!(top >= lambda * (1.0 - 1e-12) && top <= lambda * (1.0 + 1e-10), "tau {tau}: top eigenvalue {top:e}, power iteration {lambda:e}");
        gd.advance(30);
        let (theta, weights) = (gd.neurons(), gd.weights().to_vec());
        let size: f64 = theta.iter().zip(&weights).map(|(t, w)| w * t.iter().map(|v| v * v).sum::<f64>()).sum();
        for (i, (&f, &x)) in gd.fit_at_data().iter().zip(&EX_X).enumerate() {
            let direct = direct_fit(&theta, &weights, x);
            assert!((f - direct).abs() <= 1e-14 * size.max(1.0) * (1.0 + x.abs()), "tau {tau}: f(x_{i}) {f:e} vs {direct:e}");
        }
        let loss = direct_loss(&theta, &weights, &EX_X, &EX_Y);
        assert!((gd.loss() - loss).abs() <= 1e-12 * loss + 1e-28 * size * size, "tau {tau}: loss {:e} vs {loss:e}", gd.loss());
        let k = direct_kernel(&theta, &weights, &EX_X);
        let kernel = gd.tangent_kernel();
        let n = EX_X.len();
        for i in 0..n {
            for l in 0..n {
                assert!((kernel[i * n + l] - k[i][l]).abs() <= 1e-12 * size * 4.0, "tau {tau}: K[{i}][{l}] {:e} vs {:e}", kernel[i * n + l], k[i][l]);
            }
        }
        let grid = [-2.0, -0.9, 0.0, 0.7, 2.5];
        for (v, &x) in gd.fit(&grid).iter().zip(&grid) {
            assert!((v - direct_fit(&theta, &weights, x)).abs() <= 1e-12 * size.max(1.0));
        }
    }
}

/// Every run converges; the loss is recomputed from the neurons; it never increases in the lazy
/// regime (τ ≥ 10: no kink crosses a data point), elsewhere only by the small isolated bumps of
/// crossing a kink (module docs) — over any 10 steps it decreases; the last step is below the
/// stability limit `2n/λ_max(K)` of the final kernel.
#[test]
fn converges_from_every_scale() {
    for (m, seed) in [(200, 1), (100, 3), (400, 2)] {
        let init = sampled(m, seed, true, &X);
        for tau in TAUS {
            let mut gd = GradientDescent::new(&X, &Y, &init, tau).unwrap();
            assert_eq!(gd.loss(), 0.5 * mean_square(&Y), "symmetric start: f = 0");
            let mut losses = vec![gd.loss()];
            while gd.advance(1) == Status::Running {
                assert!(gd.steps() < 200_000, "m {m}, tau {tau}: not converged after 200 000 steps (loss {:e})", gd.loss());
                losses.push(gd.loss());
            }
            losses.push(gd.loss());
            let worst_bump = losses.windows(2).map(|w| w[1] / w[0] - 1.0).fold(0.0, f64::max);
            // Over WINDOW steps the loss always decreases, bumps or not.
            const WINDOW: usize = 10;
            let slowest = losses.windows(WINDOW + 1).map(|w| w[WINDOW] / w[0]).fold(0.0, f64::max);
            eprintln!("m {m}, tau {tau}: {} steps, worst one-step increase {worst_bump:.1e}, slowest {WINDOW}-step ratio {slowest:.4}", gd.steps());
            assert!(slowest < 1.0, "m {m}, tau {tau}: the loss did not decrease over {WINDOW} steps");
            assert_eq!(gd.status(), Status::Converged, "m {m}, tau {tau}: loss {:e}", gd.loss());
            let loss = direct_loss(&gd.neurons(), gd.weights(), &X, &Y);
            assert!(loss <= CONVERGED * mean_square(&Y) * (1.0 + 1e-6), "m {m}, tau {tau}: recomputed loss {loss:e}");
            if tau >= 10.0 {
                assert_eq!(worst_bump, 0.0, "m {m}, tau {tau}: the loss increased in the lazy regime");
            } else {
                // Kink-crossing bumps (observed ≤ 1.5 %), far below an unstable step's growth.
                assert!(worst_bump <= 0.05, "m {m}, tau {tau}: the loss increased by {worst_bump:e} in one step");
            }
            let k = direct_kernel(&gd.neurons(), gd.weights(), &X);
            let limit = 2.0 * X.len() as f64 / power_iteration(&k);
            assert!(gd.step_size() < limit, "m {m}, tau {tau}: step {:e} beyond the stability limit {limit:e}", gd.step_size());
            assert!(gd.transport_cost() > 0.0 && gd.transport_cost().is_finite());
        }
    }
}

/// MATH §8: from the same neurons the scaling path is the cheapest of all transport plans that
/// interpolate, GD's final state among them. Both are made to interpolate the same targets, GD's
/// own outputs `ŷ = f_gd(X)` (GD stops at `|f − y| ~ 1e-6`, which moves the optimal cost by
/// about as much at large τ, where GD is within 1e-6 of optimal), so the comparison needs no
/// tolerance beyond the path's certificate, `D ≤ OPT ≤ W_gd` and `P − OPT ≤ P − D`, and
/// round-off: at τ = 1e3 a displacement of 1e-3 is the difference of two coordinates of size
/// 1e3, so either cost is known to ~1e-10 relative; 1e-9 is allowed.
#[test]
fn path_cost_never_exceeds_gd_cost() {
    let (m, seed) = (200, 1);
    let init = sampled(m, seed, true, &X);
    let taus = [1e-2, 0.1, 1.0, 10.0, 100.0, 1e3];
    let mut gd_runs = Vec::new();
    for tau in taus {
        let mut gd = GradientDescent::new(&X, &Y, &init, tau).unwrap();
        assert_eq!(gd.run(200_000), Status::Converged, "tau {tau}");
        gd_runs.push(gd);
    }
    for (tau, gd) in taus.iter().zip(&gd_runs) {
        let targets = Data::new(X.to_vec(), gd.fit_at_data()).unwrap();
        let params = PathParams { taus: vec![*tau], width: Width::Neurons { m, seed }, ..PathParams::default() };
        let path = solve_path(&targets, &params.check(&targets).unwrap(), |_, _, _| {}).unwrap();
        let r = &path.path[0];
        assert!(r.certified, "tau {tau}: path not certified (gap {:e}, residual {:e})", r.relative_gap, r.residual);
        assert_eq!(path.init.neurons, init.neurons, "the path starts from the same neurons");
        let w_gd = gd.transport_cost();
        assert!(r.dual <= w_gd * (1.0 + 1e-9), "tau {tau}: dual {:e} > W_gd {w_gd:e}", r.dual);
        assert!(r.transport_cost <= w_gd + r.gap.abs() + 1e-9 * w_gd, "tau {tau}: W_path {:e} > W_gd {w_gd:e} + gap {:e}", r.transport_cost, r.gap);
        eprintln!("tau {tau}: W_path / W_gd = {:.12} (path relative gap {:.1e})", r.transport_cost / w_gd, r.relative_gap);
    }
}

#[test]
fn runs_are_deterministic_whatever_the_stepping() {
    let init = sampled(120, 9, true, &EX_X);
    let mut whole = GradientDescent::new(&EX_X, &EX_Y, &init, 0.5).unwrap();
    let mut chunked = whole.clone();
    let mut stepped = GradientDescent::new(&EX_X, &EX_Y, &init, 0.5).unwrap();
    whole.run(3000);
    while chunked.steps() < 3000 && chunked.advance(317.min(3000 - chunked.steps())) == Status::Running {}
    while stepped.steps() < 3000 && stepped.advance(1) == Status::Running {}
    for other in [&chunked, &stepped] {
        assert_eq!(whole.steps(), other.steps());
        assert_eq!(whole.loss().to_bits(), other.loss().to_bits());
        assert_eq!(whole.transport_cost().to_bits(), other.transport_cost().to_bits());
        assert_eq!(whole.neurons(), other.neurons());
        assert_eq!(whole.step_size().to_bits(), other.step_size().to_bits());
    }
}

/// A stationary point that is not a fit: every neuron ends inactive at the middle point, so the
/// gradient is exactly zero and the run reports it instead of spinning to its budget.
#[test]
fn a_dead_point_stalls_with_a_zero_gradient() {
    let (x, y) = ([-1.0, 0.0, 1.0], [0.5, -0.5, 0.5]);
    let init = sampled(100, 1, true, &x);
    let mut gd = GradientDescent::new(&x, &y, &init, 1e-3).unwrap();
    assert_eq!(gd.run(1_000_000), Status::Stalled);
    assert!(gd.steps() < 1_000_000);
    assert!(gd.loss() > 1e-3, "loss {:e}", gd.loss());
    assert!(gd.gradient().iter().flatten().all(|&g| g == 0.0));
    let dead = gd.neurons().iter().all(|t| t[2] <= 0.0 || t[0] == 0.0);
    assert!(dead, "some neuron is active at x = 0 with a nonzero output weight");
    assert!((gd.residuals()[1] - 0.5).abs() < 1e-12, "f(0) = {}", gd.fit_at_data()[1]);
}

/// A plateau GD cannot leave: on the example from τ = 0.01, the neurons' kinks clear out of
/// (−0.2, 1.1) early, and the fit stays one straight line through the three points there, which
/// are not on a line (the loss sits at 2.31e-2 for 10⁶ steps). The run says so and why, long
/// before its budget; checked here from the final neurons alone: no kink strictly inside the
/// stretch, the fit's second divided difference over its points zero, the data's not.
#[test]
fn a_stretch_without_kinks_stalls_with_its_reason() {
    let init = sampled(400, 0, true, &EX_X);
    let mut gd = GradientDescent::new(&EX_X, &EX_Y, &init, 0.01).unwrap();
    assert_eq!(gd.run(1_000_000), Status::Stalled);
    assert!(gd.steps() < 50_000, "stalled only after {} steps", gd.steps());
    assert_eq!(gd.stall_reason(), Some(StallReason::NoKinkBetween { from: -0.2, to: 1.1, points: 3 }));
    let neurons = gd.neurons();
    assert!(neurons.iter().all(|t| t[1] == 0.0 || !(-t[2] / t[1] > -0.2 && -t[2] / t[1] < 1.1)), "a kink inside the stretch");
    let second_difference = |f: &dyn Fn(usize) -> f64| (f(4) - f(3)) / (EX_X[4] - EX_X[3]) - (f(3) - f(2)) / (EX_X[3] - EX_X[2]);
    let fit = second_difference(&|i| direct_fit(&neurons, gd.weights(), EX_X[i]));
    let data = second_difference(&|i| EX_Y[i]);
    assert!(fit.abs() < 1e-9 && data.abs() > 0.5, "second differences: fit {fit:e}, data {data:e}");
    assert!(gd.loss() > 1e-2, "loss {:e}", gd.loss());
}

#[test]
fn bad_inputs_are_errors() {
    let init = sampled(10, 1, true, &X);
    assert_eq!(GradientDescent::new(&X, &Y, &init, 0.0).unwrap_err(), Error::BadTau(0.0));
    assert!(matches!(GradientDescent::new(&X, &Y, &init, f64::NAN), Err(Error::BadTau(_))));
    assert!(matches!(GradientDescent::new(&X, &Y[..3], &init, 1.0), Err(Error::LengthMismatch { nx: 4, ny: 3 })));
    assert_eq!(GradientDescent::new(&[], &[], &init, 1.0).unwrap_err(), Error::EmptyData);
    assert!(matches!(GradientDescent::new(&[0.0, 1.0, 0.0], &[1.0, 2.0, 3.0], &init, 1.0), Err(Error::Infeasible { first: 1, second: 3, .. })));
    assert!(matches!(GradientDescent::new(&[0.0, f64::INFINITY], &[1.0, 2.0], &init, 1.0), Err(Error::NonFinite { point: 2, .. })));
    for settings in [GdSettings { step_fraction: 2.0, ..GdSettings::default() }, GdSettings { residual_weight: 0.0, ..GdSettings::default() }] {
        assert!(matches!(GradientDescent::with_settings(&X, &Y, &init, 1.0, settings), Err(Error::OutOfRange { .. })));
    }
    let data = Data::new(X.to_vec(), Y.to_vec()).unwrap();
    let params = |max_steps: usize, m: usize| GdParams { taus: vec![1.0], law: Law::Gaussian, symmetric: true, m, seed: 0, max_steps, grid: None };
    assert!(params(1, 2).check(&data).is_ok());
    assert!(matches!(params(0, 2).check(&data), Err(Error::OutOfRange { name: "max steps", .. })));
    assert!(matches!(params(MAX_STEPS + 1, 2).check(&data), Err(Error::OutOfRange { name: "max steps", .. })));
    assert_eq!(params(10, 3).check(&data).unwrap_err(), Error::OddSymmetricWidth(3));
    assert!(matches!(params(10, 0).check(&data), Err(Error::OutOfRange { name: "width", .. })));
}
