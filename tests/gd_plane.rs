//! Gradient descent for inputs in the plane against independent computations: the gradient
//! against central finite differences of the loss summed here from the neurons, the tangent
//! kernel against a direct sum of the gradients' products, the run on collinear data
//! (`x₂ = 0`) against the line's gradient descent (another algorithm: sorted bins instead of
//! direct sums), and the final cost against the plane's scaling path from the same neurons
//! (`W_path ≤ W_gd`, MATH §8).

use scaling_path::gd::plane::{PlaneGradientDescent, network_at};
use scaling_path::gd::{GdParams, GdSettings, GradientDescent, Status};
use scaling_path::input::plane_data::PlaneData;
use scaling_path::network::init::{InitialMeasure, Law, Width, sample_plane};
use scaling_path::path::compare::compare_plane;

fn data() -> PlaneData {
    let x = vec![[-0.8, 0.3], [0.1, -0.9], [0.7, 0.6], [-0.2, 0.8], [0.9, -0.4], [-0.6, -0.5]];
    let y = vec![1.0, -1.0, 1.0, -1.0, 1.0, -1.0];
    PlaneData::new(x, y).expect("valid data")
}

fn loss(neurons: &[[f64; 4]], weights: &[f64], d: &PlaneData) -> f64 {
    d.x.iter().zip(&d.y).map(|(p, y)| (network_at(neurons, weights, *p) - y).powi(2)).sum::<f64>() / (2.0 * d.len() as f64)
}

#[test]
fn gradient_matches_central_differences() {
    let d = data();
    let m = 30;
    let sources = sample_plane(Law::Gaussian, false, m, 4).expect("law");
    let weights = vec![1.0 / m as f64; m];
    for (tau, steps) in [(1.0, 0), (0.5, 40), (3.0, 15)] {
        let mut gd = PlaneGradientDescent::new(&d, &sources, &weights, tau, GdSettings::default()).expect("valid");
        gd.advance(steps);
        let neurons = gd.neurons();
        assert!((loss(&neurons, &weights, &d) - gd.loss()).abs() <= 1e-13 * (1.0 + gd.loss()), "the loss");
        let grad = gd.gradient();
        let mut checked = 0;
        for j in 0..m {
            for k in 0..4 {
                let h = 1e-6 * (1.0 + neurons[j][k].abs());
                let (mut plus, mut minus) = (neurons.clone(), neurons.clone());
                plus[j][k] += h;
                minus[j][k] -= h;
                // A kink crossing a data point inside [−h, h] makes the difference meaningless.
                let crosses = d.x.iter().any(|p| {
                    let z = |t: &[f64; 4]| t[1] * p[0] + t[2] * p[1] + t[3];
                    (z(&plus[j]) > 0.0) != (z(&minus[j]) > 0.0)
                });
                if crosses {
                    continue;
                }
                let fd = (loss(&plus, &weights, &d) - loss(&minus, &weights, &d)) / (2.0 * h);
                let g = grad[j][k];
                // Truncation O(h²); round-off of the difference about ε L / h.
                let roundoff = 8.0 * f64::EPSILON * (1.0 + gd.loss()) / h;
                assert!((fd - g).abs() <= 1e-6 * g.abs() + roundoff, "τ {tau}, neuron {j}, coordinate {k}: {g} vs {fd}");
                checked += 1;
            }
        }
        assert!(checked > 3 * m, "τ {tau}: only {checked} coordinates checked");
    }
}

#[test]
fn tangent_kernel_matches_the_gradients_products() {
    let d = data();
    let m = 25;
    let sources = sample_plane(Law::Gaussian, true, m + 1, 7).expect("law");
    let weights = vec![1.0 / (m + 1) as f64; m + 1];
    let mut gd = PlaneGradientDescent::new(&d, &sources, &weights, 0.7, GdSettings::default()).expect("valid");
    gd.advance(30);
    let k = gd.tangent_kernel();
    let n = d.len();
    // ∇_θ φ(θ, x) = ((w·x̃)₊, a x̃ 1{w·x̃ > 0}), by finite differences of φ itself.
    let grad_phi = |t: [f64; 4], p: [f64; 2]| -> [f64; 4] {
        std::array::from_fn(|c| {
            let h = 1e-7 * (1.0 + t[c].abs());
            let (mut u, mut v) = (t, t);
            u[c] += h;
            v[c] -= h;
            (network_at(&[u], &[1.0], p) - network_at(&[v], &[1.0], p)) / (2.0 * h)
        })
    };
    for p in 0..n {
        for q in 0..n {
            let direct: f64 = gd
                .neurons()
                .iter()
                .zip(&weights)
                .map(|(t, w)| {
                    let (g, h) = (grad_phi(*t, d.x[p]), grad_phi(*t, d.x[q]));
                    w * (0..4).map(|c| g[c] * h[c]).sum::<f64>()
                })
                .sum();
            assert!((direct - k[p * n + q]).abs() <= 1e-6 * (1.0 + direct.abs()), "K[{p}][{q}] {} vs {direct}", k[p * n + q]);
        }
    }
}

/// On data with `x₂ = 0` the neurons' `w₂` never move and the plane's run is the line's run
/// from the neurons `(a, w₁, b)`: the same step sizes, the same states to round-off.
#[test]
fn collinear_data_follow_the_lines_gradient_descent() {
    let xs = [-1.1, -0.4, 0.2, 0.9, 1.5];
    let ys = [0.3, -0.2, 0.5, -0.4, 0.1];
    let line_init = InitialMeasure::new(Law::Gaussian, false, Width::Neurons { m: 40, seed: 5 }, &xs).expect("init");
    let plane = PlaneData::new(xs.iter().map(|&v| [v, 0.0]).collect(), ys.to_vec()).expect("data");
    let sources: Vec<[f64; 4]> = line_init.neurons.iter().enumerate().map(|(j, t)| [t[0], t[1], 0.3 * (j as f64).sin(), t[2]]).collect();
    for tau in [0.2, 1.0, 5.0] {
        let mut line = GradientDescent::new(&xs, &ys, &line_init, tau).expect("line");
        let mut flat = PlaneGradientDescent::new(&plane, &sources, &line_init.weights, tau, GdSettings::default()).expect("plane");
        line.advance(2000);
        flat.advance(2000);
        assert_eq!(line.steps(), flat.steps(), "τ {tau}: the same accepted steps");
        let (f1, f2) = (line.fit_at_data(), flat.fit_at_data());
        let scale = 1.0 + f1.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        for (a, b) in f1.iter().zip(&f2) {
            assert!((a - b).abs() <= 1e-9 * scale, "τ {tau}: fit {a} vs {b}");
        }
        for (j, (t, u)) in line.neurons().iter().zip(flat.neurons()).enumerate() {
            assert_eq!(u[2], tau * sources[j][2], "w₂ never moves on x₂ = 0");
            for (c, k) in [(0, 0), (1, 1), (2, 3)] {
                assert!((t[c] - u[k]).abs() <= 1e-9 * (1.0 + t[c].abs()), "τ {tau}, neuron {j}: {t:?} vs {u:?}");
            }
        }
        assert!((line.transport_cost() - flat.transport_cost() + 0.0).abs() <= 1e-9 * (1.0 + line.transport_cost()));
    }
}

/// The path is the cheapest plan that fits the data, and a converged run of gradient descent is
/// one: `W_path ≤ W_gd + slack` at every τ where GD converged.
#[test]
fn path_cost_never_exceeds_gd_cost_in_the_plane() {
    let d = data();
    let params = GdParams { taus: vec![0.3, 1.0, 3.0], law: Law::Gaussian, symmetric: true, m: 60, seed: 2, max_steps: 400_000, grid: None };
    let valid = params.check_plane(&d).expect("valid");
    let report = compare_plane(&d, &valid, |_| {}).expect("compare");
    let mut converged = 0;
    for row in &report.comparison {
        assert!(row.path_certified, "τ {}", row.tau);
        if row.gd_status == "converged" {
            converged += 1;
            assert_eq!(row.w_path_le_w_gd, Some(true), "τ {}: W_path {} W_gd {} slack {}", row.tau, row.w_path, row.w_gd, row.slack);
        }
    }
    assert!(converged >= 2, "gradient descent converged at {converged} of 3 τ");
    for run in &report.gd.runs {
        assert!(run.neurons.len() == 60 && run.fit.f.len() == run.fit.x2.len() && run.fit.f[0].len() == run.fit.x1.len());
        assert!(run.status == "converged" || run.loss < 1e-6, "τ {}: {} at loss {}", run.tau, run.status, run.loss);
    }
}

#[test]
fn bad_plane_gd_inputs_are_errors() {
    let d = data();
    let sources = sample_plane(Law::Gaussian, false, 4, 1).expect("law");
    assert!(PlaneGradientDescent::new(&d, &sources, &[0.25; 4], 0.0, GdSettings::default()).is_err(), "τ = 0");
    assert!(PlaneGradientDescent::new(&d, &sources, &[0.25; 4], f64::NAN, GdSettings::default()).is_err(), "τ NaN");
    assert!(PlaneGradientDescent::new(&d, &[], &[], 1.0, GdSettings::default()).is_err(), "no neurons");
    assert!(PlaneGradientDescent::new(&d, &sources, &[0.5; 2], 1.0, GdSettings::default()).is_err(), "weights of another length");
    let mut gd = PlaneGradientDescent::new(&d, &sources, &[0.25; 4], 1.0, GdSettings::default()).expect("valid");
    assert_eq!(gd.advance(0), Status::Running);
}
