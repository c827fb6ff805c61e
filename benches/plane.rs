//! Criterion benchmarks for inputs in the plane (issue: the paper's experiments): the certified
//! 13-τ path over [1e-3, 1e3] at finite width on the paper's setting (10 points in [−1, 1]² with
//! labels ±1, `examples/data/plane-10.csv`), m = 400 and m = 2 000 balanced neurons, one
//! dual evaluation at m = 2 000, and the exact `W²` between the path's measure at τ = 1 and the
//! initialization at τ' = 1 and 10 (the transport table's entries) at m = 400 and 2 000, and the
//! 13-τ path at infinite width (the balanced law's quadrature, 4 096 directions, with its
//! independent check).
//!
//! ```text
//! cargo bench --bench plane
//! ```

use criterion::{Criterion, criterion_group, criterion_main};
use scaling_path::PathParams;
use scaling_path::dual::DualProblem;
use scaling_path::input::params::log_range;
use scaling_path::input::plane_data::{Dataset, PlaneData};
use scaling_path::network::init::{Law, Width, sample_plane};
use scaling_path::numeric::transport::wasserstein2;
use scaling_path::path::plane::plane_path;
use std::hint::black_box;
use std::time::Duration;

fn data() -> PlaneData {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/plane-10.csv")).expect("data file");
    match Dataset::parse_str(&text).expect("valid data") {
        Dataset::Plane(d) => d,
        Dataset::Line(_) => panic!("plane-10.csv has inputs in the plane"),
    }
}

fn benches(c: &mut Criterion) {
    let data = data();
    let taus = log_range(1e-3, 1e3, 13).expect("taus");
    let path = |m: usize| {
        let params = PathParams { taus: taus.clone(), law: Law::Balanced, width: Width::Neurons { m, seed: 0 }, ..PathParams::default() };
        params.check_plane(&data).expect("valid parameters")
    };
    let sources = sample_plane(Law::Balanced, true, 2000, 0).expect("balanced");
    let problem = DualProblem::plane(&data.x, &data.y, 0.0, 1.0, sources, vec![1.0 / 2000.0; 2000]);
    let alpha = plane_path(&data, &path(2000), |_, _| {}).expect("solved").path[6].alpha.clone();
    let mut fast = c.benchmark_group("plane");
    fast.measurement_time(Duration::from_secs(5));
    fast.bench_function("dual_evaluation_m2000", |b| b.iter(|| black_box(problem.evaluate(black_box(&alpha)))));
    for m in [400, 2000] {
        let report = plane_path(&data, &path(m), |_, _| {}).expect("solved");
        let (w, r) = (&report.init.weights, &report.path[6]);
        let atoms: Vec<[f64; 4]> = r.neurons.iter().map(|row| [row[2], row[3], row[4], row[5]]).collect();
        let masses: Vec<f64> = r.neurons.iter().map(|row| w[row[0] as usize] * row[1]).collect();
        for t in [1.0, 10.0] {
            let init: Vec<[f64; 4]> = report.init.neurons.iter().map(|th| th.map(|v| t * v)).collect();
            fast.bench_function(format!("w2_tau1_init{t}_m{m}"), |b| b.iter(|| black_box(wasserstein2(&atoms, &masses, &init, w).expect("valid"))));
        }
    }
    fast.finish();
    let mut slow = c.benchmark_group("plane");
    slow.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(20));
    let quadrature = PathParams { taus: taus.clone(), law: Law::Balanced, width: Width::Directions(4096), ..PathParams::default() }
        .check_plane(&data)
        .expect("valid parameters");
    slow.bench_function("path_13_tau_infinite_width_4096", |b| b.iter(|| plane_path(&data, &quadrature, |_, _| {}).expect("solved")));
    for m in [400, 2000] {
        let valid = path(m);
        slow.bench_function(format!("path_13_tau_m{m}"), |b| {
            b.iter(|| {
                let report = plane_path(&data, &valid, |_, _| {}).expect("solved");
                assert!(report.path.iter().all(|r| r.certified));
                report
            })
        });
    }
    slow.finish();
}

criterion_group!(plane, benches);
criterion_main!(plane);
