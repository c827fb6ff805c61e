//! The two regimes the scaling path runs between (MATH §4), checked against independent
//! computations: the kernel limit against the closed form and the path at large τ, the rich
//! limit against a brute-force linear program over a fine grid of units and the path at small τ.

use scaling_path::limits::kernel_limit::KernelInterpolant;
use scaling_path::limits::rich_limit::rich_limit;
use scaling_path::network::init::{Law, Width};
use scaling_path::numeric::lp::{LpOutcome, solve_standard_form};
use scaling_path::{Data, PathParams, solve_path};

fn example() -> Data {
    Data::new(
        vec![-2.0, -1.6, -0.9, -0.2, 0.5, 1.1, 1.7, 2.0],
        vec![0.1, 0.3, -0.4, 0.6, -0.1, 0.5, -0.3, 0.2],
    )
    .unwrap()
}

/// Minimal `2Σ|c_k|` over units `c_k (e_k·x̃)₊` with `e_k` on a grid of `count` angles plus the
/// data's breakpoint rays: an upper bound on the rich limit's cost that converges to it.
fn brute_force_rich_cost(x: &[f64], y: &[f64], count: usize) -> f64 {
    let mut units: Vec<[f64; 2]> = (0..count)
        .map(|k| {
            let angle = 2.0 * std::f64::consts::PI * k as f64 / count as f64;
            [angle.cos(), angle.sin()]
        })
        .collect();
    for &xi in x {
        let norm = (1.0 + xi * xi).sqrt();
        units.push([1.0 / norm, -xi / norm]);
        units.push([-1.0 / norm, xi / norm]);
    }
    let (n, k) = (x.len(), units.len());
    let mut a = vec![0.0; n * 2 * k];
    for (j, e) in units.iter().enumerate() {
        for i in 0..n {
            let v = (e[0] * x[i] + e[1]).max(0.0);
            a[i * 2 * k + 2 * j] = v;
            a[i * 2 * k + 2 * j + 1] = -v;
        }
    }
    match solve_standard_form(&a, n, 2 * k, y, &vec![2.0; 2 * k]) {
        LpOutcome::Optimal(sol) => sol.objective,
        _ => panic!("the brute-force LP must be solvable"),
    }
}

/// The rich limit's cost is the infimum over all units: the brute-force LP over 3 600 angles is
/// above it (never below, beyond the LP's round-off) and within the grid's error of it (the
/// cost of snapping an optimal unit to the nearest angle is O(h²) relative, h = π/1800).
#[test]
fn rich_limit_matches_a_brute_force_linear_program() {
    let cases: Vec<(Vec<f64>, Vec<f64>)> = vec![
        (example().x, example().y),
        (vec![-1.0, 0.0, 1.0], vec![1.0, 0.0, 1.0]),
        (vec![0.0, 1.0, 2.0, 3.0], vec![0.0, 1.0, 1.0, 0.0]),
        (vec![-3.0, -0.5, 0.25, 4.0], vec![2.0, -1.0, 0.5, 3.0]),
    ];
    for (x, y) in cases {
        let rich = rich_limit(&x, &y).unwrap();
        let brute = brute_force_rich_cost(&x, &y, 3600);
        assert!(brute >= rich.cost * (1.0 - 1e-9), "{x:?}: brute force {brute} below the rich limit {}", rich.cost);
        assert!(brute - rich.cost <= 1e-5 * rich.cost, "{x:?}: brute force {brute} vs rich limit {}", rich.cost);
        assert!(rich.gap.abs() <= 1e-9 * rich.cost, "{x:?}: gap {}", rich.gap);
        assert!(rich.residual <= 1e-12 * y.iter().fold(1.0f64, |m, v| m.max(v.abs())), "{x:?}: residual {}", rich.residual);
        // Each balanced neuron carries |θ|² = 2|c|: the neurons' squared norm is the cost.
        let norm2: f64 = rich.neurons.iter().map(|t| t.iter().map(|v| v * v).sum::<f64>()).sum();
        assert!((norm2 - rich.cost).abs() <= 1e-10 * rich.cost);
    }
}

/// Small τ: the path's transport cost tends to the rich limit's cost (W² to `μ0^τ` differs from
/// `∫|θ|²` by O(τ)), and its fit to the rich limit's fit.
#[test]
fn path_tends_to_the_rich_limit_at_small_tau() {
    let data = example();
    let params = PathParams { taus: vec![1e-3, 1e-2], width: Width::Directions(2048), ..PathParams::default() };
    let report = solve_path(&data, &params.check(&data).unwrap(), |_, _, _| {}).unwrap();
    let rich = report.rich_limit.as_ref().expect("rich limit reported");
    let independent = rich_limit(&data.x, &data.y).unwrap();
    assert!((rich.cost - independent.cost).abs() <= 1e-12 * rich.cost);
    let r = &report.path[0];
    assert!(r.certified);
    assert!((r.transport_cost - rich.cost).abs() <= 1e-2 * rich.cost, "W² {} vs M {}", r.transport_cost, rich.cost);
    let d = r.rich_distance.unwrap();
    assert!(d <= 1e-3 * data.max_abs_y(), "sup |f_τ − f_rich| = {d:e} at τ = 1e-3");
}

/// Large τ, default settings: the drawn curve is within 5e-3·max|y| of the closed-form kernel
/// interpolant on the whole grid at τ = 10³, and the distance shrinks at least like 1/τ.
#[test]
fn path_tends_to_the_kernel_limit_at_large_tau() {
    let data = example();
    let params = PathParams { taus: vec![1e2, 1e3], ..PathParams::default() };
    let report = solve_path(&data, &params.check(&data).unwrap(), |_, _, _| {}).unwrap();
    let kernel = report.kernel_limit.as_ref().expect("kernel limit reported");
    assert_eq!(kernel.kernel, "closed-form");
    let closed = KernelInterpolant::gaussian(&data.x, &data.y).unwrap();
    assert!((kernel.norm - closed.norm).abs() <= 1e-10 * closed.norm);
    let (near, far) = (&report.path[0], &report.path[1]);
    let sup = |fit: &[f64]| {
        kernel.fit.x.iter().zip(fit).map(|(&x, &f)| (f - closed.eval(x)).abs()).fold(0.0, f64::max)
    };
    let (d_near, d_far) = (sup(&near.fit.y), sup(&far.fit.y));
    assert!(d_far <= 5e-3 * data.max_abs_y(), "sup |f_τ − f_K| = {d_far:e} at τ = 1e3");
    assert!(d_far <= d_near / 10.0, "distance {d_near:e} at τ = 100, {d_far:e} at τ = 1000");
    let reported = far.kernel_distance.unwrap();
    // Two evaluations of f_K (K⁻¹ amplifies round-off): equal to 1e-9·max|y|.
    assert!((reported - d_far).abs() <= 1e-9 * data.max_abs_y(), "reported {reported:e} vs {d_far:e}");
}

/// λ > 0: at large τ the path follows kernel ridge regression with kernel `(τ²/2)K` (MATH §6),
/// i.e. ridge `2λ/τ²` on `K` — with λ = 10⁵ and τ = 10³ the ridge is strong (0.2), so a wrong
/// factor would show. Other laws use the quadrature kernel.
#[test]
fn kernel_ridge_and_quadrature_kernels() {
    let data = example();
    let params =
        PathParams { taus: vec![1e3], lambda: 1e5, width: Width::Directions(4096), ..PathParams::default() };
    let report = solve_path(&data, &params.check(&data).unwrap(), |_, _, _| {}).unwrap();
    let r = &report.path[0];
    assert!(r.certified);
    let interpolant_gap = report.kernel_limit.as_ref().unwrap().fit.y.iter().zip(&r.fit.y).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    assert!(interpolant_gap > 0.05, "the ridge must visibly shrink the fit ({interpolant_gap})");
    assert!(r.kernel_distance.unwrap() <= 1e-3 * data.max_abs_y(), "kernel ridge distance {:e}", r.kernel_distance.unwrap());

    for law in [Law::Sphere, Law::Balanced, Law::UniformKinks] {
        let params = PathParams { taus: vec![1e3], law, ..PathParams::default() };
        let report = solve_path(&data, &params.check(&data).unwrap(), |_, _, _| {}).unwrap();
        let kernel = report.kernel_limit.as_ref().unwrap();
        assert_eq!(kernel.kernel, "quadrature");
        // The interpolant reproduces the data (grid points that are data points: none here,
        // so check through the distance of the converged path, whose fit interpolates).
        let d = report.path[0].kernel_distance.unwrap();
        assert!(d <= 5e-3 * data.max_abs_y(), "{law:?}: sup |f_τ − f_K| = {d:e} at τ = 1e3");
    }
}

/// Finite width: the empirical kernel; the path at large τ tracks it (the measure is exact).
#[test]
fn finite_width_kernel_limit() {
    let data = example();
    let params = PathParams {
        taus: vec![1e2, 1e3],
        width: Width::Neurons { m: 400, seed: 3 },
        symmetric: true,
        ..PathParams::default()
    };
    let report = solve_path(&data, &params.check(&data).unwrap(), |_, _, _| {}).unwrap();
    assert_eq!(report.kernel_limit.as_ref().unwrap().kernel, "empirical");
    let (near, far) = (report.path[0].kernel_distance.unwrap(), report.path[1].kernel_distance.unwrap());
    assert!(far <= near / 5.0 && far <= 1e-2 * data.max_abs_y(), "lazy distance {near:e} → {far:e}");
}
