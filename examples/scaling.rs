//! How the 41-τ path's cost grows with the number of points: for each committed data set
//! `examples/data/{random,smooth}-{10,30,50,100}.csv`, infinite width (the default 4 096
//! directions) and finite width (400 sampled neurons, seed 1), the path over `[1e-3, 1e3]`
//! solved τ by τ in one chain until done or until `--budget SECONDS` (default 300) has passed.
//! Prints one CSV row per case: `data,n,width,taus_done,certified,seconds,dual_evaluations`.
//! Dual evaluations do not depend on the machine or its load; seconds do.
//!
//! `cargo run --release --example scaling -- [--budget S] [--only random-30,…] > scaling.csv`;
//! `python3 docs/plot_scaling.py scaling.csv docs/scaling.png` draws it.

use scaling_path::input::params::log_range;
use scaling_path::network::init::Width;
use scaling_path::numeric::counters::snapshot;
use scaling_path::{Data, PathParams, ScalingPath};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let budget: f64 = value("--budget").map(|v| v.parse()).transpose()?.unwrap_or(300.0);
    let only: Option<Vec<String>> = value("--only").map(|v| v.split(',').map(String::from).collect());
    println!("data,n,width,taus_done,certified,seconds,dual_evaluations");
    for n in [10, 30, 50, 100] {
        for kind in ["smooth", "random"] {
            let name = format!("{kind}-{n}");
            if only.as_ref().is_some_and(|o| !o.contains(&name)) {
                continue;
            }
            let file = format!("{}/examples/data/{name}.csv", env!("CARGO_MANIFEST_DIR"));
            let data = Data::parse_bytes(&std::fs::read(&file)?, &file)?;
            for (label, width) in [("4096 directions", Width::Directions(4096)), ("400 neurons", Width::Neurons { m: 400, seed: 1 })] {
                let params = PathParams { taus: log_range(1e-3, 1e3, 41)?, width, ..PathParams::default() }.check(&data)?;
                let mut path = ScalingPath::new(&data, &params)?;
                let (start, c0) = (Instant::now(), snapshot());
                let (mut done, mut certified) = (0, 0);
                while start.elapsed().as_secs_f64() < budget {
                    let Some(r) = path.step() else { break };
                    done += 1;
                    certified += r.certified as usize;
                }
                let evaluations = (snapshot() - c0).evaluations;
                println!("{name},{n},{label},{done},{certified},{:.2},{evaluations}", start.elapsed().as_secs_f64());
            }
        }
    }
    Ok(())
}
