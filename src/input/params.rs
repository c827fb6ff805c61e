//! Parameters of a scaling-path computation: one validation path (`PathParams::check`) for the
//! CLI, JSON and the browser bindings.
//!
//! | name | default | meaning | range |
//! |---|---|---|---|
//! | `taus` | 9 values, log-spaced over `[0.01, 100]` | initialization scales τ | finite, `> 0`; at most [`MAX_TAUS`] |
//! | `lambda` | 0 | data-fit weight λ (0: interpolate) | finite, `≥ 0` |
//! | `law` | gaussian | base law `μ0` | gaussian, sphere, balanced, uniform-kinks |
//! | `symmetric` | true | `a → −a` twins | |
//! | `width` | 4096 directions | quadrature size `N`, or `m` neurons + seed | `1 ≤ N ≤` [`MAX_DIRECTIONS`], `1 ≤ m ≤` [`MAX_WIDTH`] |
//! | `grid` | data range ± 25 %, 401 points | where the fit is reported | finite `min < max`, `2 ≤ count ≤` [`MAX_GRID`] |
//! | data | | points `(x, y)` | `1 ≤ n ≤` [`MAX_POINTS`]; equal `x` needs equal `y` when λ = 0 |

use crate::input::data::Data;
use crate::input::error::{Error, Result};
use crate::network::init::{Law, Width};

/// Largest number of data points.
pub const MAX_POINTS: usize = 100;
/// Largest quadrature size.
pub const MAX_DIRECTIONS: usize = 65_536;
/// Largest finite width.
pub const MAX_WIDTH: usize = 20_000;
/// Largest number of τ values in one path.
pub const MAX_TAUS: usize = 1_000;
/// Largest plotting grid.
pub const MAX_GRID: usize = 100_000;

/// The core's limits by the names the lab uses (`www/js/state/limits.js` is generated from this table
/// by `tests/limits_js.rs`, which fails when the two disagree): one home for each limit.
pub const LIMITS: [(&str, usize); 6] = [
    ("points", MAX_POINTS),
    ("directions", MAX_DIRECTIONS),
    ("width", MAX_WIDTH),
    ("tauCount", MAX_TAUS),
    ("gridCount", MAX_GRID),
    ("gdSteps", crate::gd::MAX_STEPS),
];

/// A plotting grid `count` points from `min` to `max`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    /// Left end.
    pub min: f64,
    /// Right end.
    pub max: f64,
    /// Number of points.
    pub count: usize,
}

impl Grid {
    /// The default grid for `data`: its range widened by 25 % on each side, 401 points.
    pub fn around(data: &Data) -> Grid {
        let lo = data.x.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = data.x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let margin = 0.25 * (hi - lo).max(1.0);
        Grid { min: lo - margin, max: hi + margin, count: 401 }
    }

    /// Checks `min < max` (finite) and `2 ≤ count ≤ MAX_GRID`.
    pub fn check(self) -> Result<Grid> {
        if !(self.min.is_finite() && self.max.is_finite() && self.min < self.max) || self.count < 2 {
            return Err(Error::BadGrid { min: self.min, max: self.max, count: self.count });
        }
        if self.count > MAX_GRID {
            return Err(out_of_range("grid count", self.count, 2, MAX_GRID));
        }
        Ok(self)
    }

    /// The grid's points.
    pub fn points(&self) -> Vec<f64> {
        crate::network::model::linspace(self.min, self.max, self.count)
    }
}

/// `count` values log-spaced from `min` to `max` inclusive.
pub fn log_range(min: f64, max: f64, count: usize) -> Result<Vec<f64>> {
    for t in [min, max] {
        check_tau(t)?;
    }
    if count == 0 || count > MAX_TAUS {
        return Err(out_of_range("tau count", count, 1, MAX_TAUS));
    }
    if count == 1 {
        return Ok(vec![min]);
    }
    let (l0, l1) = (libm::log10(min), libm::log10(max));
    Ok((0..count)
        .map(|i| if i == 0 { min } else if i + 1 == count { max } else { libm::pow(10.0, l0 + (l1 - l0) * i as f64 / (count - 1) as f64) })
        .collect())
}

/// Unchecked parameters (builder-style, every field public).
#[derive(Debug, Clone, PartialEq)]
pub struct PathParams {
    /// Initialization scales.
    pub taus: Vec<f64>,
    /// Data-fit weight.
    pub lambda: f64,
    /// Base law.
    pub law: Law,
    /// Symmetrized initialization.
    pub symmetric: bool,
    /// Quadrature or finite width.
    pub width: Width,
    /// Plotting grid (`None`: around the data).
    pub grid: Option<Grid>,
}

impl Default for PathParams {
    fn default() -> PathParams {
        PathParams {
            taus: log_range(0.01, 100.0, 9).unwrap_or_default(),
            lambda: 0.0,
            law: Law::Gaussian,
            symmetric: true,
            width: Width::Directions(4096),
            grid: None,
        }
    }
}

/// Parameters that passed [`PathParams::check`] against a data set.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPathParams {
    params: PathParams,
    grid: Grid,
}

impl ValidPathParams {
    /// Initialization scales, as given.
    pub fn taus(&self) -> &[f64] {
        &self.params.taus
    }
    /// λ.
    pub fn lambda(&self) -> f64 {
        self.params.lambda
    }
    /// Base law.
    pub fn law(&self) -> Law {
        self.params.law
    }
    /// Symmetrized?
    pub fn symmetric(&self) -> bool {
        self.params.symmetric
    }
    /// Quadrature or finite width.
    pub fn width(&self) -> Width {
        self.params.width
    }
    /// The plotting grid.
    pub fn grid(&self) -> Grid {
        self.grid
    }
}

fn out_of_range(name: &'static str, value: impl ToString, min: impl ToString, max: impl ToString) -> Error {
    Error::OutOfRange { name, value: value.to_string(), min: min.to_string(), max: max.to_string() }
}

/// The largest time budget per τ (`--budget`, `PathSession.setBudget`): a day, in seconds.
pub const MAX_BUDGET_SECONDS: f64 = 86_400.0;

/// A time budget per τ must be more than 0 s and at most [`MAX_BUDGET_SECONDS`].
pub fn check_budget(seconds: f64) -> Result<f64> {
    if seconds > 0.0 && seconds <= MAX_BUDGET_SECONDS { Ok(seconds) } else { Err(Error::BadBudget(seconds)) }
}

/// τ must be finite and positive.
pub fn check_tau(tau: f64) -> Result<f64> {
    if tau.is_finite() && tau > 0.0 { Ok(tau) } else { Err(Error::BadTau(tau)) }
}

/// Checks the data for this λ: size cap, and at λ = 0 no two points with equal x and different y.
pub fn check_data(data: &Data, lambda: f64) -> Result<()> {
    if data.len() > MAX_POINTS {
        return Err(Error::TooManyPoints { n: data.len(), max: MAX_POINTS });
    }
    if lambda == 0.0 {
        let mut order: Vec<usize> = (0..data.len()).collect();
        order.sort_by(|&i, &j| data.x[i].total_cmp(&data.x[j]).then(i.cmp(&j)));
        for w in order.windows(2) {
            let (i, j) = (w[0], w[1]);
            if data.x[i] == data.x[j] && data.y[i] != data.y[j] {
                let (first, second) = (i.min(j), i.max(j));
                return Err(Error::Infeasible { first: first + 1, second: second + 1, x: data.x[i], y1: data.y[first], y2: data.y[second] });
            }
        }
    }
    Ok(())
}

impl PathParams {
    /// Validates every field against `data`.
    pub fn check(&self, data: &Data) -> Result<ValidPathParams> {
        self.check_fields()?;
        check_data(data, self.lambda)?;
        let grid = self.grid.unwrap_or_else(|| Grid::around(data)).check()?;
        Ok(ValidPathParams { params: self.clone(), grid })
    }

    /// Validates every field against data in the plane (the grid is the plane's own,
    /// [`crate::path::plane`]; its coincident points are checked when they are merged).
    pub fn check_plane(&self, data: &crate::input::plane_data::PlaneData) -> Result<ValidPathParams> {
        self.check_fields()?;
        if data.len() > MAX_POINTS {
            return Err(Error::TooManyPoints { n: data.len(), max: MAX_POINTS });
        }
        Ok(ValidPathParams { params: self.clone(), grid: Grid { min: -1.0, max: 1.0, count: 2 } })
    }

    /// The checks that do not depend on the data.
    fn check_fields(&self) -> Result<()> {
        if self.taus.is_empty() || self.taus.len() > MAX_TAUS {
            return Err(out_of_range("tau count", self.taus.len(), 1, MAX_TAUS));
        }
        for &t in &self.taus {
            check_tau(t)?;
        }
        if !(self.lambda.is_finite() && self.lambda >= 0.0) {
            return Err(Error::BadLambda(self.lambda));
        }
        match self.width {
            Width::Directions(n) if n == 0 || n > MAX_DIRECTIONS => {
                return Err(out_of_range("directions", n, 1, MAX_DIRECTIONS));
            }
            Width::Neurons { m, .. } if m == 0 || m > MAX_WIDTH => {
                return Err(out_of_range("width", m, 1, MAX_WIDTH));
            }
            Width::Neurons { m, .. } if self.symmetric && m % 2 == 1 => {
                return Err(Error::OddSymmetricWidth(m));
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Data {
        Data::new(vec![0.0, 1.0], vec![1.0, 2.0]).unwrap()
    }

    #[test]
    fn defaults_pass() {
        let v = PathParams::default().check(&data()).unwrap();
        assert_eq!(v.taus().len(), 9);
        assert!((v.taus()[4] - 1.0).abs() < 1e-12);
        assert_eq!(v.grid().count, 401);
    }

    #[test]
    fn rejects_each_bad_field() {
        let d = data();
        let bad = |f: &dyn Fn(&mut PathParams)| {
            let mut p = PathParams::default();
            f(&mut p);
            p.check(&d).unwrap_err()
        };
        assert_eq!(bad(&|p| p.taus = vec![1.0, 0.0]), Error::BadTau(0.0));
        assert!(matches!(bad(&|p| p.taus = vec![f64::NAN]), Error::BadTau(t) if t.is_nan()));
        assert_eq!(bad(&|p| p.lambda = -1.0), Error::BadLambda(-1.0));
        assert!(matches!(bad(&|p| p.width = Width::Directions(0)), Error::OutOfRange { name: "directions", .. }));
        assert!(matches!(bad(&|p| p.width = Width::Neurons { m: MAX_WIDTH + 2, seed: 0 }), Error::OutOfRange { name: "width", .. }));
        assert_eq!(bad(&|p| p.width = Width::Neurons { m: 3, seed: 0 }), Error::OddSymmetricWidth(3));
        assert!(matches!(bad(&|p| p.grid = Some(Grid { min: 1.0, max: 0.0, count: 5 })), Error::BadGrid { .. }));
    }

    #[test]
    fn duplicate_x_is_infeasible_only_without_lambda() {
        let d = Data::new(vec![0.0, 1.0, 0.0], vec![1.0, 2.0, 3.0]).unwrap();
        let mut p = PathParams::default();
        assert!(matches!(p.check(&d), Err(Error::Infeasible { first: 1, second: 3, .. })));
        p.lambda = 0.1;
        assert!(p.check(&d).is_ok());
        let same = Data::new(vec![0.0, 1.0, 0.0], vec![1.0, 2.0, 1.0]).unwrap();
        assert!(PathParams::default().check(&same).is_ok());
    }

    #[test]
    fn log_range_ends_exactly() {
        let r = log_range(1e-3, 1e3, 41).unwrap();
        assert_eq!(r[0], 1e-3);
        assert_eq!(r[40], 1e3);
        assert!((r[20] - 1.0).abs() < 1e-12);
    }
}
