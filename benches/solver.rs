//! Solver benchmarks at n = 10 (`sin(1.5x)` on a uniform grid of `[−2, 2]`) with the default
//! 4 096-direction Gaussian quadrature:
//!
//! * `dual_evaluation` — one `D(α)` with its minimizers and `f(X)`, at the α certified at τ = 1;
//! * `solve_tau_1` — τ = 1 solved and certified from α = 0 (`solver::solve`);
//! * `path_41_taus` — the whole path, 41 τ log-spaced over `[1e-3, 1e3]` (`solve_path`), with
//!   the limits, the re-aligned curves near the kernel end and the distances;
//! * `accurate_curve_600` — the re-aligned infinite-width curve (MATH §8) of the α certified at
//!   τ = 100, on a 600-point grid, 1 536 directions per point;
//! * `rich_limit` — the minimal-norm interpolant by column generation;
//! * `path_finite_width/{random,smooth}/10` — the 41-τ path on `examples/data/{random,smooth}-10.csv`
//!   at 400 sampled neurons (finite width);
//! * `infinite_width/evaluation_tau_1/{smooth-10,random-10,smooth-30}` — one integration of the
//!   infinite-width dual over `ν0` itself with its Jacobian (a Newton step of `--exact`, MATH
//!   §11) at the α it certifies at τ = 1; `infinite_width/path_41_taus/example` — the whole
//!   41-τ `--exact` path of `examples/data/example.csv`.
//!
//! `cargo bench` runs them in a few minutes; under `cargo test --all-targets` each runs once.

use criterion::{Criterion, criterion_group, criterion_main};
use scaling_path::continuum::{self, Continuum, ContinuumSettings};
use scaling_path::dual::DualProblem;
use scaling_path::input::params::log_range;
use scaling_path::limits::rich_limit::rich_limit;
use scaling_path::network::curve::infinite_width_curve;
use scaling_path::network::init::{InitialMeasure, Law, Width};
use scaling_path::network::model::linspace;
use scaling_path::path::exact::exact_path;
use scaling_path::solver::{SolverSettings, solve};
use scaling_path::{Data, PathParams, solve_path};
use std::hint::black_box;
use std::time::Duration;

const DIRECTIONS: usize = 4096;

fn sine10() -> Data {
    let x: Vec<f64> = (0..10).map(|i| -2.0 + 4.0 * i as f64 / 9.0).collect();
    let y = x.iter().map(|&v| (1.5 * v).sin()).collect();
    Data::new(x, y).expect("valid data")
}

/// `examples/data/NAME.csv`.
fn committed(name: &str) -> Data {
    let file = format!("{}/examples/data/{name}.csv", env!("CARGO_MANIFEST_DIR"));
    Data::parse_bytes(&std::fs::read(&file).expect("the committed data set"), &file).expect("valid data")
}

fn params(taus: Vec<f64>) -> PathParams {
    PathParams { taus, width: Width::Directions(DIRECTIONS), ..PathParams::default() }
}

fn problem(data: &Data, tau: f64) -> DualProblem {
    let init = InitialMeasure::new(Law::Gaussian, true, Width::Directions(DIRECTIONS), &data.x).expect("valid width");
    DualProblem::new(&data.x, &data.y, 0.0, tau, &init)
}

fn benches(c: &mut Criterion) {
    let data = sine10();
    let problem = problem(&data, 1.0);

    // A typical α: the one certified at τ = 1.
    let valid = params(vec![1.0]).check(&data).expect("valid parameters");
    let report = solve_path(&data, &valid, |_, _, _| {}).expect("solved");
    assert!(report.path[0].certified, "τ = 1 not certified");
    let alpha = report.path[0].alpha.clone();

    let mut fast = c.benchmark_group("solver");
    fast.measurement_time(Duration::from_secs(5));
    fast.bench_function("dual_evaluation", |b| b.iter(|| black_box(problem.evaluate(black_box(&alpha)))));
    fast.finish();

    let mut slow = c.benchmark_group("solver");
    slow.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(10));
    let zero = vec![0.0; data.len()];
    slow.bench_function("solve_tau_1", |b| {
        b.iter(|| {
            let sol = solve(&problem, black_box(&zero), SolverSettings::default());
            assert!(sol.certified);
            sol
        })
    });
    // The same τ as a one-τ path: a cold start walks down from τ = 100 (what a first fit costs).
    slow.bench_function("path_single_tau_1", |b| {
        b.iter(|| {
            let report = solve_path(&data, &valid, |_, _, _| {}).expect("solved");
            assert!(report.path[0].certified);
            report
        })
    });
    slow.finish();

    // About 1.3 s per path (release build, 2-core machine): 10 samples need ~15 s.
    let mut path_group = c.benchmark_group("solver");
    path_group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(20));
    let path = params(log_range(1e-3, 1e3, 41).expect("valid range")).check(&data).expect("valid parameters");
    path_group.bench_function("path_41_taus", |b| {
        b.iter(|| {
            let report = solve_path(&data, &path, |_, _, _| {}).expect("solved");
            assert!(report.path.iter().all(|r| r.certified), "a τ was not certified");
            report
        })
    });
    path_group.finish();

    // Finite width (issue 17.2): the committed irregular and smooth sets, 400 sampled neurons.
    // A path at n = 10 takes a few seconds on this machine; larger n are measured with
    // `examples/path_profile.rs` (minutes each), not here.
    let mut finite = c.benchmark_group("path_finite_width");
    finite.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(30));
    for targets in ["random", "smooth"] {
        {
            let n = 10;
            let data = committed(&format!("{targets}-{n}"));
            let taus = log_range(1e-3, 1e3, 41).expect("valid range");
            let valid = PathParams { taus, width: Width::Neurons { m: 400, seed: 1 }, ..PathParams::default() }
                .check(&data)
                .expect("valid parameters");
            finite.bench_function(format!("{targets}/{n}"), |b| b.iter(|| solve_path(&data, &valid, |_, _, _| {}).expect("solved")));
        }
    }
    finite.finish();

    // Infinite width solved as such (`--exact`, MATH §11): one integration of the dual with its
    // Jacobian (what a Newton step costs) at the α the continuum solver reaches at τ = 1, on the
    // committed smooth and irregular sets; and the whole 41-τ `--exact` path of example.csv.
    let mut exact = c.benchmark_group("infinite_width");
    exact.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(10));
    for name in ["smooth-10", "random-10", "smooth-30"] {
        let data = committed(name);
        let problem = Continuum::new(&data.x, &data.y, 0.0, Law::Gaussian).expect("supported");
        let alpha = continuum::solve_path(&problem, &[1.0], ContinuumSettings::default())[0].eval.alpha.clone();
        exact.bench_function(format!("evaluation_tau_1/{name}"), |b| {
            b.iter(|| {
                let eval = problem.evaluate(1.0, black_box(&alpha)).expect("inside the domain");
                let jacobian = problem.jacobian(&eval);
                (eval, jacobian)
            })
        });
    }
    let example = committed("example");
    let exact_params = params(log_range(1e-3, 1e3, 41).expect("valid range")).check(&example).expect("valid parameters");
    exact.bench_function("path_41_taus/example", |b| {
        b.iter(|| {
            let report = exact_path(&example, &exact_params, |_, _| {}).expect("solved");
            assert!(report.path.iter().all(|r| r.certified), "a τ was not certified");
            report
        })
    });
    exact.finish();

    let mut limits = c.benchmark_group("limits");
    limits.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    let kernel_end = params(vec![100.0]).check(&data).expect("valid parameters");
    let alpha_100 = solve_path(&data, &kernel_end, |_, _, _| {}).expect("solved").path[0].alpha.clone();
    let grid = linspace(-2.5, 2.5, 600);
    limits.bench_function("accurate_curve_600", |b| {
        b.iter(|| infinite_width_curve(&data.x, black_box(&alpha_100), 100.0, Law::Gaussian, &grid, 1536))
    });
    limits.bench_function("rich_limit", |b| {
        b.iter(|| rich_limit(&data.x, black_box(&data.y)).expect("solved"))
    });
    limits.finish();
}

criterion_group!(solver, benches);
criterion_main!(solver);
