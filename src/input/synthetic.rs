//! Seeded synthetic data sets for measuring and testing the solver at larger `n`: *irregular*
//! data (random targets, nearly coincident abscissas) and *smooth* data on the same abscissas.
//!
//! The abscissas are uniform in `[−2, 2]`, sorted; then, for every ten points, one point is
//! moved next to its left neighbour, at a distance uniform in `[0.5, 2]·10⁻⁴` (so `n = 30` has
//! three such pairs). Irregular targets are uniform in `[−1, 1]`; smooth ones are `sin(1.5x)`.
//! The generator is [`rand_xoshiro`]'s Xoshiro256++, so a seed gives the same data on every
//! platform; `examples/synthetic_data.rs` writes the committed `examples/data/{random,smooth}-N.csv`.

use crate::input::data::Data;
use crate::input::error::Result;
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};

/// The shape of the targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Targets {
    /// `y` uniform in `[−1, 1]`.
    Random,
    /// `y = sin(1.5x)`.
    Smooth,
}

impl Targets {
    /// The name used in file names (`random`, `smooth`).
    pub fn name(self) -> &'static str {
        match self {
            Targets::Random => "random",
            Targets::Smooth => "smooth",
        }
    }
}

/// Uniform in `[0, 1)` with 53 random bits.
fn unit(rng: &mut Xoshiro256PlusPlus) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// `n ≥ 2` points with `targets`, seeded as the module says. The abscissas do not depend on
/// `targets`: the random and smooth sets of one `(n, seed)` share them.
pub fn synthetic(n: usize, seed: u64, targets: Targets) -> Result<Data> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut x: Vec<f64> = (0..n).map(|_| -2.0 + 4.0 * unit(&mut rng)).collect();
    x.sort_by(f64::total_cmp);
    for pair in 0..n / 10 {
        // Spread the pairs over the data: the pair's right point at index ≈ (2·pair + 1)·n/(2·(n/10)).
        let i = ((2 * pair + 1) * n / (2 * (n / 10))).clamp(1, n - 1);
        x[i] = x[i - 1] + 1e-4 * (0.5 + 1.5 * unit(&mut rng));
    }
    x.sort_by(f64::total_cmp);
    let y: Vec<f64> = match targets {
        Targets::Random => x.iter().map(|_| -1.0 + 2.0 * unit(&mut rng)).collect(),
        Targets::Smooth => x.iter().map(|&v| libm::sin(1.5 * v)).collect(),
    };
    Data::new(x, y)
}

/// The data as CSV (header `x,y`, shortest round-trip decimals: parsing gives the same bits).
pub fn to_csv(data: &Data) -> String {
    let mut out = String::from("x,y\n");
    for (x, y) in data.x.iter().zip(&data.y) {
        out.push_str(&format!("{x:?},{y:?}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_nearly_coincide_and_csv_round_trips() {
        let d = synthetic(30, 1, Targets::Random).unwrap();
        let mut gaps: Vec<f64> = d.x.windows(2).map(|w| w[1] - w[0]).collect();
        gaps.sort_by(f64::total_cmp);
        assert!(gaps[0] >= 0.0);
        assert!(gaps[2] <= 2e-4 && gaps[0] >= 0.5e-4 - 1e-12, "{gaps:?}");
        assert!(d.y.iter().all(|v| (-1.0..=1.0).contains(v)));
        assert_eq!(Data::parse_str(&to_csv(&d)).unwrap(), d);
        let s = synthetic(30, 1, Targets::Smooth).unwrap();
        assert_eq!(s.x, d.x);
    }
}
