//! The solver of one dimension run on inputs in the plane (`src/dual/plane.rs`, MATH §12):
//! certificates on random data, checked against computations that do not go through the
//! generic dual.

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use scaling_path::dual::DualProblem;
use scaling_path::dual::arrangement::{Arrangement, dual};
use scaling_path::dual::plane::Plane;
use scaling_path::network::init::{InitialMeasure, Law, Width, sample_plane};
use scaling_path::solver::{SolverSettings, solve};

fn uniform(rng: &mut Xoshiro256PlusPlus) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// `n` points in `[−1, 1]²` with labels ±1 (the paper's setting), seeded.
fn paper_data(n: usize, seed: u64) -> (Vec<[f64; 2]>, Vec<f64>) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let x: Vec<[f64; 2]> = (0..n).map(|_| [2.0 * uniform(&mut rng) - 1.0, 2.0 * uniform(&mut rng) - 1.0]).collect();
    let y: Vec<f64> = (0..n).map(|_| if uniform(&mut rng) < 0.5 { -1.0 } else { 1.0 }).collect();
    (x, y)
}

fn problem(n: usize, m: usize, tau: f64, seed: u64) -> DualProblem<Plane> {
    let (x, y) = paper_data(n, seed);
    let sources = sample_plane(Law::Balanced, true, m, seed).expect("balanced has a plane law");
    DualProblem::plane(&x, &y, 0.0, tau, sources, vec![1.0 / m as f64; m])
}

/// Every τ of a random path is certified: relative gap ≤ 1e-6 and residual ≤ 1e-9·max|y| (or the
/// round-off floor), and the certificate holds against the dual computed by the minimizer
/// directly (`arrangement::dual`, not the generic `DualProblem::evaluate`) and a primal
/// recomputed from the measure's rows.
#[test]
fn random_plane_paths_are_certified() {
    for seed in [1u64, 2, 3] {
        let mut alpha = vec![0.0; 8];
        for tau in [100.0, 10.0, 1.0, 0.3] {
            let p = problem(8, 200, tau, seed);
            let sol = solve(&p, &alpha, SolverSettings::default());
            assert!(sol.certified, "seed {seed} τ {tau}: gap {:.2e}, residual {:.2e}", sol.relative_gap, sol.measure.residual);
            // The dual by the minimizer alone.
            let arrangement = Arrangement::new(&p.x);
            let (d, grad) = dual(&arrangement, &p.y, &sol.eval.alpha, tau, &p.sources, &p.weights).expect("α in the domain");
            assert!((d - sol.eval.value).abs() <= 1e-12 * d.abs().max(1.0), "seed {seed} τ {tau}: D {d} vs {}", sol.eval.value);
            for (g, (f, y)) in grad.iter().zip(sol.eval.fit.iter().zip(&p.y)) {
                assert!((g - (y - f)).abs() <= 1e-10, "gradient");
            }
            // The primal recomputed from the rows: transport and fit.
            let tau2 = tau * tau;
            let mut transport = 0.0;
            let mut fit = vec![0.0; p.x.len()];
            for r in &sol.measure.rows {
                let m = tau2 * p.weights[r.source] * r.share;
                let (th, t) = (r.choice.theta, p.sources[r.source]);
                transport += m * (0..4).map(|k| (th[k] - t[k]).powi(2)).sum::<f64>();
                for (fi, xi) in fit.iter_mut().zip(&p.x) {
                    *fi += m * th[0] * (th[1] * xi[0] + th[2] * xi[1] + th[3]).max(0.0);
                }
            }
            let residual = fit.iter().zip(&p.y).map(|(f, y)| (f - y).abs()).fold(0.0, f64::max);
            assert!(residual <= 1e-8, "seed {seed} τ {tau}: recomputed residual {residual:.2e}");
            let gap = (transport - d) / transport.abs();
            assert!(gap.abs() <= 1e-6, "seed {seed} τ {tau}: recomputed relative gap {gap:.2e}");
            alpha = sol.eval.alpha.clone();
        }
    }
}

/// Data on the line `x₂ = 0` in the plane: a neuron's `w₂` acts on no data point, so it stays
/// at its source's and the problem is the one-dimensional one with the sources' `(a, w₁, b)`.
/// The plane's dual equals the line's at random `α`, and their solutions agree.
#[test]
fn collinear_data_reduce_to_the_line() {
    let x1 = [-0.9, -0.4, 0.1, 0.35, 0.8];
    let y = [0.5, -0.3, 0.4, -0.2, 0.6];
    let m = 100;
    let sources = sample_plane(Law::Gaussian, true, m, 7).expect("gaussian");
    let weights = vec![1.0 / m as f64; m];
    let points: Vec<[f64; 2]> = x1.iter().map(|&v| [v, 0.0]).collect();
    let tau = 2.0;
    let plane = DualProblem::plane(&points, &y, 0.0, tau, sources.clone(), weights.clone());
    let line_init = InitialMeasure {
        law: Law::Gaussian,
        symmetric: true,
        width: Width::Neurons { m, seed: 7 },
        neurons: sources.iter().map(|t| [t[0], t[1], t[3]]).collect(),
        weights: weights.clone(),
    };
    let line = DualProblem::new(&x1, &y, 0.0, tau, &line_init);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
    for _ in 0..20 {
        let alpha: Vec<f64> = (0..5).map(|_| 0.6 * uniform(&mut rng) - 0.3).collect();
        let (ep, el) = (plane.evaluate(&alpha), line.evaluate(&alpha));
        assert!((ep.value - el.value).abs() <= 1e-12 * el.value.abs().max(1.0), "D {} vs {}", ep.value, el.value);
        for (a, b) in ep.fit.iter().zip(&el.fit) {
            assert!((a - b).abs() <= 1e-12, "fit {a} vs {b}");
        }
    }
    let sp = solve(&plane, &[0.0; 5], SolverSettings::default());
    let sl = solve(&line, &[0.0; 5], SolverSettings::default());
    assert!(sp.certified && sl.certified);
    assert!((sp.measure.primal - sl.measure.primal).abs() <= 1e-8 * sl.measure.primal.abs(), "P {} vs {}", sp.measure.primal, sl.measure.primal);
}

/// λ > 0 in the plane: certified, and the primal recomputed from the rows (transport plus
/// `|f(X) − y|²/2λ`) is the reported one, the residual `f(X) − y + λα` at the certificate's level.
#[test]
fn plane_paths_with_lambda_are_certified() {
    let lambda = 0.1;
    for seed in [4u64, 5] {
        let (x, y) = paper_data(8, seed);
        let m = 200;
        let sources = sample_plane(Law::Gaussian, true, m, seed).expect("gaussian");
        for tau in [10.0, 1.0, 0.1] {
            let p = DualProblem::plane(&x, &y, lambda, tau, sources.clone(), vec![1.0 / m as f64; m]);
            let sol = solve(&p, &[0.0; 8], SolverSettings::default());
            assert!(sol.certified, "seed {seed} τ {tau}: gap {:.2e} residual {:.2e}", sol.relative_gap, sol.measure.residual);
            let tau2 = tau * tau;
            let mut fit = vec![0.0; x.len()];
            let mut transport = 0.0;
            for r in &sol.measure.rows {
                let mass = tau2 * p.weights[r.source] * r.share;
                let (th, t) = (r.choice.theta, p.sources[r.source]);
                transport += mass * (0..4).map(|k| (th[k] - t[k]).powi(2)).sum::<f64>();
                for (fi, xi) in fit.iter_mut().zip(&x) {
                    *fi += mass * th[0] * (th[1] * xi[0] + th[2] * xi[1] + th[3]).max(0.0);
                }
            }
            let misfit: f64 = fit.iter().zip(&y).map(|(f, y)| (f - y).powi(2)).sum();
            let primal = transport + misfit / (2.0 * lambda);
            assert!((primal - sol.measure.primal).abs() <= 1e-10 * primal, "seed {seed} τ {tau}: P {primal} vs {}", sol.measure.primal);
            let residual = (0..x.len()).map(|i| (fit[i] - y[i] + lambda * sol.eval.alpha[i]).abs()).fold(0.0, f64::max);
            assert!(residual <= 1e-8, "seed {seed} τ {tau}: residual {residual:.2e}");
            assert!((primal - sol.eval.value).abs() <= 1e-6 * primal, "seed {seed} τ {tau}: P {primal} D {}", sol.eval.value);
        }
    }
}

/// The kernel limit in the plane: its Gram matrix is the tangent kernel gradient descent
/// computes by its own code at the start (τ = 1), and the path tends to it — at τ = 1e4 the
/// certified path's fit is within 1e-6 of `f_K` on the whole grid (below τ ≈ 3e3 a kink of some
/// source still crosses a grid point within the displacement, so the sup converges only there;
/// measured on this data: 0.64 at τ = 1e3, 2e-9 at 1e4).
#[test]
fn the_path_tends_to_the_plane_kernel_limit() {
    use scaling_path::gd::GdSettings;
    use scaling_path::gd::plane::PlaneGradientDescent;
    use scaling_path::input::plane_data::PlaneData;
    use scaling_path::limits::plane_kernel::{plane_kernel_limit, plane_ntk};
    use scaling_path::path::plane::{PlanePath, plane_grid};
    use scaling_path::{PathParams, network::init::Width as W};
    let (x, y) = paper_data(8, 11);
    let data = PlaneData::new(x.clone(), y.clone()).expect("data");
    let m = 300;
    let sources = sample_plane(Law::Balanced, true, m, 2).expect("law");
    let weights = vec![1.0 / m as f64; m];
    let gd = PlaneGradientDescent::new(&data, &sources, &weights, 1.0, GdSettings::default()).expect("gd");
    let k = gd.tangent_kernel();
    for i in 0..x.len() {
        for j in 0..x.len() {
            let v = plane_ntk(&sources, &weights, x[i], x[j]);
            assert!((v - k[i * x.len() + j]).abs() <= 1e-12 * (1.0 + v.abs()), "K[{i}][{j}]: {v} vs {}", k[i * x.len() + j]);
        }
    }
    let params = PathParams { taus: vec![1e4], lambda: 0.0, law: Law::Balanced, symmetric: true, width: W::Neurons { m, seed: 2 }, grid: None };
    let valid = params.check_plane(&data).expect("valid");
    let mut path = PlanePath::new(&data, &valid).expect("path");
    let r = path.step().expect("one τ");
    assert!(r.certified);
    let limit = plane_kernel_limit(&sources, &weights, &x, &y, &plane_grid(&data), "empirical").expect("a kernel limit");
    let sup_between = |a: &[Vec<f64>], b: &[Vec<f64>]| a.iter().flatten().zip(b.iter().flatten()).map(|(p, q)| (p - q).abs()).fold(0.0, f64::max);
    let reported = path.kernel_limit().expect("the path's");
    assert!(sup_between(&reported.fit.f, &limit.fit.f) <= 1e-10, "the path reports the same limit (its points in another order)");
    let sup = sup_between(&r.fit.f, &limit.fit.f);
    assert!(sup <= 1e-6, "sup |f_τ − f_K| = {sup:.2e} at τ = 1e4");
    let reported = r.kernel_distance.expect("the report's distance to the kernel limit");
    assert!((reported - sup).abs() <= 1e-10, "kernel_distance {reported:.3e} vs {sup:.3e}");
    // An asymmetric initialization has no kernel limit (its function does not vanish).
    let lopsided = sample_plane(Law::Gaussian, false, m, 2).expect("law");
    assert!(plane_kernel_limit(&lopsided, &weights, &x, &y, &plane_grid(&data), "empirical").is_none());
}

/// The rich limit in the plane: certified by its own dual; on data with `x₂ = 0` the same
/// minimal cost as the line's rich limit (another algorithm: sectors and breakpoints); the path
/// approaches it as τ → 0 (its cost and its fit).
#[test]
fn the_plane_rich_limit_is_certified_and_the_paths_end() {
    use scaling_path::input::plane_data::PlaneData;
    use scaling_path::limits::plane_rich::plane_rich_limit;
    use scaling_path::limits::rich_limit::rich_limit;
    use scaling_path::path::plane::{PlanePath, plane_grid};
    use scaling_path::{PathParams, network::init::Width as W};
    for seed in [3, 8] {
        let (x, y) = paper_data(9, seed);
        let data = PlaneData::new(x.clone(), y.clone()).expect("data");
        let rich = plane_rich_limit(&x, &y, &plane_grid(&data)).expect("solved");
        assert!(rich.gap.abs() <= 1e-8 * rich.cost, "seed {seed}: gap {:.2e} of {}", rich.gap, rich.cost);
        assert!(rich.residual <= 1e-9, "seed {seed}: residual {:.2e}", rich.residual);
        let params = PathParams { taus: vec![1e-4], lambda: 0.0, law: Law::Balanced, symmetric: true, width: W::Neurons { m: 200, seed }, grid: None };
        let mut path = PlanePath::new(&data, &params.check_plane(&data).expect("valid")).expect("path");
        let r = path.step().expect("one τ");
        assert!(r.certified);
        // P(τ) → M: the path moves from τθ̄ instead of 0, a difference O(τ·√M).
        assert!((r.primal - rich.cost).abs() <= 1e-3 * rich.cost, "seed {seed}: P(1e-4) {} vs M {}", r.primal, rich.cost);
        assert!(r.rich_distance.expect("distance") <= 1e-2, "seed {seed}: sup |f_τ − f_rich| {:?}", r.rich_distance);
    }
    // Collinear data: the plane's minimal cost is the line's.
    let xs = [-1.3, -0.6, 0.1, 0.7, 1.4, 1.9];
    let ys = [0.4, -0.3, 0.8, -0.5, 0.2, 0.6];
    let line = rich_limit(&xs, &ys).expect("line");
    let points: Vec<[f64; 2]> = xs.iter().map(|&v| [v, 0.0]).collect();
    let data = PlaneData::new(points.clone(), ys.to_vec()).expect("data");
    let plane = plane_rich_limit(&points, &ys, &plane_grid(&data)).expect("plane");
    assert!((plane.cost - line.cost).abs() <= 1e-8 * line.cost, "plane {} vs line {}", plane.cost, line.cost);
}
