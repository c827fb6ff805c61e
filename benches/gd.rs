//! Gradient-descent benchmark (MATH §3): 10⁴ steps at m = 1 000 neurons, n = 10 points
//! (`sin(1.5x)` on a uniform grid of `[−2, 2]`, as in `benches/solver.rs`), τ = 1, from the
//! symmetrized Gaussian neurons of seed 0. The run does not converge within 10⁴ steps, so every
//! iteration takes exactly 10⁴ steps; criterion reports the time of one iteration, and the
//! throughput line gives steps per second ("elements" = steps). Target: ≥ 30 000 steps/s.
//!
//! Also the lab's sweep: gradient descent at each of 41 τ log-spaced over [1e-3, 1e3], m = 400,
//! n = 10, the lab's default budget of 20 000 steps per τ (target: ≤ 1.5 s natively).
//!
//! `cargo bench --bench gd` takes about a minute; under `cargo test --all-targets` it runs once.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use scaling_path::Data;
use scaling_path::gd::{GdParams, GradientDescent, Status, optimization_path};
use scaling_path::input::params::log_range;
use scaling_path::network::init::{InitialMeasure, Law, Width};
use std::hint::black_box;
use std::time::Duration;

const STEPS: usize = 10_000;

fn benches(c: &mut Criterion) {
    let x: Vec<f64> = (0..10).map(|i| -2.0 + 4.0 * i as f64 / 9.0).collect();
    let y: Vec<f64> = x.iter().map(|&v| (1.5 * v).sin()).collect();
    let init = InitialMeasure::new(Law::Gaussian, true, Width::Neurons { m: 1000, seed: 0 }, &x).expect("valid width");
    let start = GradientDescent::new(&x, &y, &init, 1.0).expect("valid data");

    let mut group = c.benchmark_group("gd");
    group.throughput(Throughput::Elements(STEPS as u64));
    group.sample_size(20).warm_up_time(Duration::from_secs(2)).measurement_time(Duration::from_secs(10));
    group.bench_function("10k_steps_m1000_n10_tau1", |b| {
        b.iter_batched_ref(
            || start.clone(),
            |gd| {
                let status = gd.advance(black_box(STEPS));
                assert_eq!((status, gd.steps()), (Status::Running, STEPS), "the benchmark must take all its steps");
                gd.loss()
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();

    // The sweep as the CLI's `gd --tau-range` runs it (optimization_path: two threads natively).
    let data = Data::new(x.clone(), y.clone()).expect("valid data");
    let params = GdParams {
        taus: log_range(1e-3, 1e3, 41).expect("valid range"),
        law: Law::Gaussian,
        symmetric: true,
        m: 400,
        seed: 0,
        max_steps: 20_000,
        grid: None,
    }
    .check(&data)
    .expect("valid parameters");
    let mut group = c.benchmark_group("gd_sweep");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(15));
    group.bench_function("41_taus_m400_n10_20k_steps", |b| {
        b.iter(|| optimization_path(&data, black_box(&params), |_| {}).expect("runs").runs.len())
    });
    group.finish();
}

criterion_group!(gd, benches);
criterion_main!(gd);
