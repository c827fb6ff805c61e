//! One scaling path solved τ by τ in a single chain, with the time and the work of each τ:
//! ascent iterations, dual evaluations, share LPs (rows × columns, pivots), KKT solves.
//! `cargo run --release --example path_profile -- DATA.csv [--width M --seed S | --directions N]
//! [--tau-range LO:HI:COUNT]`.

use scaling_path::input::params::log_range;
use scaling_path::network::init::Width;
use scaling_path::numeric::counters::snapshot;
use scaling_path::{Data, PathParams, ScalingPath};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let file = args.first().ok_or("usage: path_profile DATA.csv [--width M --seed S | --directions N] [--tau-range LO:HI:COUNT]")?;
    let data = Data::parse_bytes(&std::fs::read(file)?, file)?;
    let width = match (value("--width"), value("--directions")) {
        (Some(m), _) => Width::Neurons { m: m.parse()?, seed: value("--seed").unwrap_or("1".into()).parse()? },
        (None, Some(n)) => Width::Directions(n.parse()?),
        (None, None) => Width::Neurons { m: 400, seed: 1 },
    };
    let range = value("--tau-range").unwrap_or("0.001:1000:41".into());
    let parts: Vec<&str> = range.split(':').collect();
    let taus = log_range(parts[0].parse()?, parts[1].parse()?, parts[2].parse()?)?;
    let params = PathParams { taus, width, ..PathParams::default() }.check(&data)?;
    let mut path = ScalingPath::new(&data, &params)?;
    println!("{:>10} {:>8} {:>5} {:>4} {:>10} {:>9} {:>5} {:>5} {:>4} {:>9} {:>7} {:>6} {:>6}", "tau", "ms", "cert", "it", "rel_gap", "residual", "split", "evals", "lps", "rows×cols", "pivots", "kkts", "kktsz");
    let start = Instant::now();
    let (mut certified, mut total) = (0, 0);
    loop {
        let (t0, c0) = (Instant::now(), snapshot());
        let Some(r) = path.step() else { break };
        let (dt, c) = (t0.elapsed(), snapshot() - c0);
        total += 1;
        certified += r.certified as usize;
        let lps = c.share_lps.max(1);
        println!(
            "{:>10.4e} {:>8.1} {:>5} {:>4} {:>10.2e} {:>9.2e} {:>5} {:>5} {:>4} {:>4}×{:<4} {:>7} {:>6} {:>6}",
            r.tau, dt.as_secs_f64() * 1e3, r.certified, r.iterations, r.relative_gap, r.residual, r.split_sources,
            c.evaluations, c.share_lps, c.lp_rows / lps, c.lp_columns / lps, c.lp_pivots, c.kkt_solves, c.kkt_size / c.kkt_solves.max(1)
        );
    }
    println!("total {:.2} s, {certified}/{total} certified", start.elapsed().as_secs_f64());
    Ok(())
}
