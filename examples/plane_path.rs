//! A finite-width scaling path for inputs in the plane, solved by the dimension-generic solver
//! (`src/dual/plane.rs`), one line per τ with its certificate and time.
//!
//! ```text
//! cargo run --release --example plane_path -- N M SEED TAU1,TAU2,…
//! ```
//!
//! The paper's setting: `N` points uniform in `[−1, 1]²` with labels ±1, `M` neurons from the
//! balanced law (`w ~ N(0, I₃)`, `a = ±|w|`, paired), all seeded by `SEED`; the τ's in the
//! order given, each warm-started from the previous one's `α`.

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use scaling_path::dual::DualProblem;
use scaling_path::network::init::{Law, sample_plane};
use scaling_path::solver::{SolverSettings, solve};

fn uniform(rng: &mut Xoshiro256PlusPlus) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: plane_path N M SEED TAU1,TAU2,…");
        std::process::exit(2);
    }
    let n: usize = args[1].parse().expect("N");
    let m: usize = args[2].parse().expect("M");
    let seed: u64 = args[3].parse().expect("SEED");
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let x: Vec<[f64; 2]> = (0..n).map(|_| [2.0 * uniform(&mut rng) - 1.0, 2.0 * uniform(&mut rng) - 1.0]).collect();
    let y: Vec<f64> = (0..n).map(|_| if uniform(&mut rng) < 0.5 { -1.0 } else { 1.0 }).collect();
    let sources = sample_plane(Law::Balanced, true, m, seed).expect("the balanced law has a plane version");
    let mut alpha = vec![0.0; n];
    let start = std::time::Instant::now();
    for tau in args[4].split(',').map(|v| v.parse::<f64>().expect("TAU")) {
        let p = DualProblem::plane(&x, &y, 0.0, tau, sources.clone(), vec![1.0 / m as f64; m]);
        let t = std::time::Instant::now();
        let sol = solve(&p, &alpha, SolverSettings::default());
        println!(
            "tau {tau:.3e} certified {} gap {:.2e} residual {:.2e} iterations {} split {} rows {} {:.3}s",
            sol.certified,
            sol.relative_gap,
            sol.measure.residual,
            sol.iterations,
            sol.measure.split_sources,
            sol.measure.rows.len(),
            t.elapsed().as_secs_f64()
        );
        alpha = sol.eval.alpha.clone();
    }
    println!("total {:.3}s", start.elapsed().as_secs_f64());
}
