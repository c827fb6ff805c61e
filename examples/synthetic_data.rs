//! Writes the committed synthetic data sets `examples/data/{random,smooth}-{10,30,50,100}.csv`
//! (seed 1, see [`scaling_path::input::synthetic`]): irregular targets and `sin(1.5x)` on uniform
//! abscissas with nearly coincident pairs. Run from the crate root:
//! `cargo run --release --example synthetic_data`.

use scaling_path::input::synthetic::{Targets, synthetic, to_csv};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data");
    for n in [10, 30, 50, 100] {
        for targets in [Targets::Random, Targets::Smooth] {
            let data = synthetic(n, 1, targets)?;
            let path = format!("{dir}/{}-{n}.csv", targets.name());
            std::fs::write(&path, to_csv(&data))?;
            println!("{path}");
        }
    }
    Ok(())
}
