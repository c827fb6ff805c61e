//! The user-facing options of a run, as the command line and the browser bindings take them, and
//! their one conversion into the unchecked [`PathParams`] ([`Options::path_plan`]) and
//! [`GdParams`] ([`Options::gd_params`]).
//!
//! The CLI (`src/bin/scaling-path.rs`) fills an [`Options`] from its parsed arguments; the
//! bindings (`src/bindings/mod.rs`) deserialize it from the protocol's `config` (`www/PROTOCOL.md`:
//! camelCase, every field optional, unknown fields ignored). The conversion carries the
//! text-level rules (exclusive options, an unknown law, a part of the path that does not exist …)
//! and their messages, naming each option the way its front end spells it ([`Front::name`]);
//! the ranges stay [`PathParams::check`]'s and [`GdParams::check`]'s job.
//!
//! A missing option takes the default of [`PathParams::default`] (and [`DEFAULT_MAX_STEPS`],
//! [`DEFAULT_SELECTED_TAU`]). The two front ends differ in one policy only, [`Front`]: a command
//! line names only what it means, so an option that does not apply is an error there; the
//! protocol's `config` is the page's whole state, so such an option is ignored there.

use crate::gd::{DEFAULT_MAX_STEPS, GdParams};
use crate::input::error::{Error, Result};
use crate::input::params::{Grid, PathParams, log_range};
use crate::network::init::{Law, Width};
use crate::path::split::{Split, split as split_policy};
use serde::Deserialize;

/// The selected τ when none is given (the protocol's `config.tau`).
pub const DEFAULT_SELECTED_TAU: f64 = 1.0;

/// Where the options come from: how messages name them, and what an option that does not apply
/// does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    /// The command line (`--tau-range`, …): an option that does not apply is an error.
    Cli,
    /// The protocol's `config` (`config.tauMin`, …): an option that does not apply is ignored
    /// (`directions` wins over `width`, a quadrature ignores `seed`, gradient descent ignores
    /// `directions` and `maxSteps` only matters to it).
    Protocol,
}

/// An option, as [`Front::name`] names it in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The list of τ's ([`Options::taus`]).
    Taus,
    /// The lower end of the τ range.
    TauMin,
    /// The upper end of the τ range.
    TauMax,
    /// The number of τ's of the range.
    TauCount,
    /// The selected τ.
    Tau,
    /// λ.
    Lambda,
    /// The base law.
    Law,
    /// The quadrature size.
    Directions,
    /// The finite width.
    Width,
    /// The seed of the sampled neurons.
    Seed,
    /// The plotting grid.
    Grid,
    /// The step budget of gradient descent.
    MaxSteps,
    /// Which part of the τ grid.
    Part,
    /// Where the upper part begins.
    SplitTau,
}

impl Front {
    /// `field` as the user wrote it.
    pub fn name(self, field: Field) -> &'static str {
        use Field::*;
        match self {
            Front::Cli => match field {
                Taus => "--tau",
                TauMin | TauMax | TauCount => "--tau-range",
                Tau => "the selected tau",
                Lambda => "--lambda",
                Law => "--law",
                Directions => "--directions",
                Width => "--width",
                Seed => "--seed",
                Grid => "--grid",
                MaxSteps => "--max-steps",
                Part => "the part of the path",
                SplitTau => "the split tau",
            },
            Front::Protocol => match field {
                Taus => "config.taus",
                TauMin => "config.tauMin",
                TauMax => "config.tauMax",
                TauCount => "config.tauCount",
                Tau => "config.tau",
                Lambda => "config.lambda",
                Law => "config.law",
                Directions => "config.directions",
                Width => "config.width",
                Seed => "config.seed",
                Grid => "config.grid",
                MaxSteps => "config.maxSteps",
                Part => "config.part",
                SplitTau => "config.splitTau",
            },
        }
    }

    /// True when an option that does not apply is an error (the command line).
    fn strict(self) -> bool {
        self == Front::Cli
    }

    /// A usage error saying `message`, with the names of `fields` in place of `{0}`, `{1}` ….
    fn usage(self, message: &str, fields: &[Field]) -> Error {
        let mut text = message.to_string();
        for (i, &f) in fields.iter().enumerate() {
            text = text.replace(&format!("{{{i}}}"), self.name(f));
        }
        Error::Usage(text)
    }
}

/// The plotting grid as given: `count` points from `min` to `max` (the protocol's `config.grid`,
/// the CLI's `--grid XMIN:XMAX:COUNT`).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct GridOption {
    /// Left end.
    pub min: f64,
    /// Right end.
    pub max: f64,
    /// Number of points.
    pub count: u64,
}

/// Which part of the τ grid a run solves (a path split over workers; the protocol's
/// `config.part`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The grid τ's at or above the selected τ (or the split τ when given).
    Upper,
    /// Those from the selected τ up to below the split τ, solved upward.
    Middle,
    /// Those below the selected τ.
    Lower,
}

/// The user-facing options of a run. Every field may be missing (`None`): it then takes the
/// default. Counts are `u64` whatever the platform (a larger value saturates on conversion and
/// the range check rejects it).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Options {
    /// The τ's, as a list (CLI `--tau`; not part of the protocol). Exclusive with the range.
    #[serde(skip)]
    pub taus: Option<Vec<f64>>,
    /// The τ range: `tau_count` values log-spaced from `tau_min` to `tau_max` (CLI
    /// `--tau-range MIN:MAX:COUNT`; protocol `tauMin`, `tauMax`, `tauCount`), each defaulting to
    /// that of [`PathParams::default`] (0.01, 100, 9).
    pub tau_min: Option<f64>,
    /// See `tau_min`.
    pub tau_max: Option<f64>,
    /// See `tau_min`.
    pub tau_count: Option<u64>,
    /// The selected τ (protocol `tau`, default [`DEFAULT_SELECTED_TAU`]): solved first, where a
    /// part of the path begins, and where the protocol's gradient descent runs.
    pub tau: Option<f64>,
    /// Data-fit weight λ (default 0).
    pub lambda: Option<f64>,
    /// Name of the base law (default gaussian).
    pub law: Option<String>,
    /// Pair each neuron with its twin `(−a, w, b)` (default true; CLI `--asymmetric` is `false`).
    pub symmetric: Option<bool>,
    /// Quadrature size N (default 4096, unless a width is given).
    pub directions: Option<u64>,
    /// Finite width: this many sampled neurons.
    pub width: Option<u64>,
    /// Seed of the sampled neurons (default 0; needs `width`).
    pub seed: Option<u64>,
    /// Where the fit is reported (default: around the data).
    pub grid: Option<GridOption>,
    /// Gradient descent only: the step budget per τ (default [`DEFAULT_MAX_STEPS`]).
    pub max_steps: Option<u64>,
    /// Only part of the τ grid: `"upper"`, `"middle"` or `"lower"` (see [`Part`]), or `"auto"`:
    /// the first part of a path split over two workers where the core's split policy finds it
    /// worth it ([`crate::path::split::split`]: then `"lower"` with its split τ), else the
    /// whole path.
    pub part: Option<String>,
    /// Where a split path's upper part begins, above the selected τ (see [`Part`]).
    pub split_tau: Option<f64>,
}

/// What [`Options::path_plan`] gives: the unchecked parameters of a path, its selected τ, and
/// whether its τ's are solved upward (the middle part).
#[derive(Debug, Clone, PartialEq)]
pub struct PathPlan {
    /// The parameters, to go through [`PathParams::check`].
    pub params: PathParams,
    /// The selected τ (unchecked).
    pub selected: f64,
    /// True for the middle part of a split path, solved upward.
    pub ascending: bool,
    /// The split chosen for `part: "auto"` (then this is its lower part), if any.
    pub split: Option<Split>,
}

/// A count as a `usize` (wasm32's is 32 bits): larger values saturate, and the range check then
/// rejects them.
fn count(v: u64) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

impl Options {
    /// The selected τ.
    pub fn selected(&self) -> f64 {
        self.tau.unwrap_or(DEFAULT_SELECTED_TAU)
    }

    /// The parameters of a scaling path (unchecked: ranges are [`PathParams::check`]'s job),
    /// restricted to `part` of the τ grid when given.
    pub fn path_plan(&self, front: Front) -> Result<PathPlan> {
        if front.strict() && self.max_steps.is_some() {
            return Err(front.usage("{0} applies to gd only (the scaling path is solved, not iterated)", &[Field::MaxSteps]));
        }
        let mut taus = self.tau_grid(front)?;
        let selected = self.selected();
        let mut ascending = false;
        // 'auto': the core's split policy picks the lower part and its split τ, or the whole path.
        let auto = if self.part.as_deref() == Some("auto") { split_policy(&taus, selected) } else { None };
        let (resolved, split_tau) = match (self.part.as_deref(), auto) {
            (Some("auto"), Some(chosen)) => (Some("lower"), chosen.split_tau),
            (Some("auto"), None) => (None, None),
            (part, _) => (part, self.split_tau),
        };
        if let Some(name) = resolved {
            let part = match name {
                "upper" => Part::Upper,
                "middle" => Part::Middle,
                "lower" => Part::Lower,
                other => return Err(Error::Usage(format!("{}: '{other}' is not a part of the path (upper, middle, lower or auto)", front.name(Field::Part)))),
            };
            let split = match split_tau {
                Some(t) if t.is_finite() && t > selected => t,
                Some(t) => {
                    let (split, tau) = (front.name(Field::SplitTau), front.name(Field::Tau));
                    return Err(Error::Usage(format!("{split}: {t} is not above the selected τ ({tau} = {selected})")));
                }
                None if part == Part::Middle => return Err(front.usage("{0}: the middle part needs {1}", &[Field::Part, Field::SplitTau])),
                None => selected,
            };
            match part {
                Part::Upper => taus.retain(|&t| t >= split),
                Part::Lower => taus.retain(|&t| t < selected),
                Part::Middle => {
                    taus.retain(|&t| t >= selected && t < split);
                    ascending = true;
                }
            }
            if taus.is_empty() {
                let part_name = front.name(Field::Part);
                return Err(Error::Usage(format!("{part_name}: the {name} part of the path holds no τ of the grid (selected τ = {selected})")));
            }
        }
        let defaults = PathParams::default();
        let params = PathParams {
            taus,
            lambda: self.lambda.unwrap_or(defaults.lambda),
            law: self.law()?,
            symmetric: self.symmetric.unwrap_or(defaults.symmetric),
            width: self.width(front)?,
            grid: self.grid(),
        };
        Ok(PathPlan { params, selected, ascending, split: auto })
    }

    /// The parameters of gradient descent (unchecked: ranges are [`GdParams::check`]'s job): a
    /// finite network (`width`, `seed`) fitting the data exactly (λ = 0), at every τ of the
    /// grid — or, from the protocol, at the selected τ.
    pub fn gd_params(&self, front: Front) -> Result<GdParams> {
        if front.strict() && self.directions.is_some() {
            let fields = [Field::Directions, Field::Width, Field::Seed];
            return Err(front.usage("{0} does not apply to gd: gradient descent trains a finite network, give {1} M {2} S", &fields));
        }
        if let Some(lambda) = self.lambda.filter(|&l| l != 0.0) {
            let name = front.name(Field::Lambda);
            return Err(Error::Usage(format!("gradient descent fits the data exactly: it needs λ = 0 ({name} is {lambda})")));
        }
        let Some(m) = self.width else {
            return Err(front.usage("gd needs {0} (the number of neurons): gradient descent trains a finite network", &[Field::Width]));
        };
        if front.strict() && self.seed.is_none() {
            return Err(front.usage("gd needs {0} (the seed of the neurons, as in path {1} M {0} S)", &[Field::Seed, Field::Width]));
        }
        let taus = match front {
            Front::Cli => self.tau_grid(front)?,
            Front::Protocol => vec![self.selected()],
        };
        Ok(GdParams {
            taus,
            law: self.law()?,
            symmetric: self.symmetric.unwrap_or(PathParams::default().symmetric),
            m: count(m),
            seed: self.seed.unwrap_or(0),
            max_steps: self.max_steps.map_or(DEFAULT_MAX_STEPS, count),
            grid: self.grid(),
        })
    }

    /// The τ's: the list, or the range (each end and the count defaulting to the default grid's).
    fn tau_grid(&self, front: Front) -> Result<Vec<f64>> {
        let range = self.tau_min.is_some() || self.tau_max.is_some() || self.tau_count.is_some();
        let defaults = PathParams::default().taus;
        match &self.taus {
            Some(_) if range => Err(front.usage("{0} and {1} are exclusive: give one of them", &[Field::Taus, Field::TauMin])),
            Some(list) => Ok(list.clone()),
            None => {
                let (lo, hi) = (defaults[0], defaults[defaults.len() - 1]);
                log_range(self.tau_min.unwrap_or(lo), self.tau_max.unwrap_or(hi), self.tau_count.map_or(defaults.len(), count))
            }
        }
    }

    /// The base law (an unknown name is the core's [`Error::UnknownLaw`]).
    fn law(&self) -> Result<Law> {
        match &self.law {
            Some(name) => name.parse::<Law>(),
            None => Ok(PathParams::default().law),
        }
    }

    /// Quadrature or finite width.
    fn width(&self, front: Front) -> Result<Width> {
        let fields = [Field::Directions, Field::Width, Field::Seed];
        match (self.directions, self.width, self.seed) {
            (Some(_), Some(_), _) if front.strict() => Err(front.usage("{0} and {1} are exclusive: give one of them", &fields)),
            (None, None, Some(_)) if front.strict() => Err(front.usage("{2} requires {1} (a quadrature has no seed)", &fields)),
            (Some(n), _, _) => Ok(Width::Directions(count(n))),
            (None, Some(m), seed) => Ok(Width::Neurons { m: count(m), seed: seed.unwrap_or(0) }),
            (None, None, _) => Ok(PathParams::default().width),
        }
    }

    /// The plotting grid, when given.
    fn grid(&self) -> Option<Grid> {
        self.grid.map(|g| Grid { min: g.min, max: g.max, count: count(g.count) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Result<impl std::fmt::Debug>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn defaults_are_the_cores() {
        let plan = Options::default().path_plan(Front::Cli).unwrap();
        assert_eq!(plan.params, PathParams::default());
        assert_eq!((plan.selected, plan.ascending), (DEFAULT_SELECTED_TAU, false));
    }

    #[test]
    fn each_front_names_the_option_its_way() {
        let both = Options { taus: Some(vec![1.0]), tau_count: Some(3), ..Options::default() };
        assert_eq!(message(both.path_plan(Front::Cli)), "--tau and --tau-range are exclusive: give one of them");
        let bad_part = Options { part: Some("sideways".into()), ..Options::default() };
        assert_eq!(message(bad_part.path_plan(Front::Protocol)), "config.part: 'sideways' is not a part of the path (upper, middle, lower or auto)");
        let lambda = Options { lambda: Some(0.1), width: Some(20), seed: Some(1), ..Options::default() };
        assert_eq!(message(lambda.gd_params(Front::Cli)), "gradient descent fits the data exactly: it needs λ = 0 (--lambda is 0.1)");
        assert_eq!(message(lambda.gd_params(Front::Protocol)), "gradient descent fits the data exactly: it needs λ = 0 (config.lambda is 0.1)");
    }

    #[test]
    fn the_cli_rejects_what_the_protocol_ignores() {
        let both = Options { directions: Some(512), width: Some(20), seed: Some(3), ..Options::default() };
        assert!(matches!(both.path_plan(Front::Cli), Err(Error::Usage(_))));
        assert_eq!(both.path_plan(Front::Protocol).unwrap().params.width, Width::Directions(512));
        let gd = Options { directions: Some(512), width: Some(20), ..Options::default() };
        assert!(message(gd.gd_params(Front::Cli)).starts_with("--directions does not apply to gd"));
        let p = gd.gd_params(Front::Protocol).unwrap();
        assert_eq!((p.m, p.seed, p.taus), (20, 0, vec![DEFAULT_SELECTED_TAU]));
    }

    #[test]
    fn parts_split_the_grid() {
        let opts = |part: &str, split: Option<f64>| Options { part: Some(part.into()), split_tau: split, tau: Some(1.0), ..Options::default() };
        let taus = |o: Options| o.path_plan(Front::Protocol).map(|p| (p.params.taus.len(), p.ascending));
        assert_eq!(taus(opts("upper", None)), Ok((5, false)));
        assert_eq!(taus(opts("lower", None)), Ok((4, false)));
        assert_eq!(taus(opts("middle", Some(10.0))), Ok((2, true)));
        assert_eq!(message(taus(opts("middle", None))), "config.part: the middle part needs config.splitTau");
        assert_eq!(message(taus(opts("upper", Some(0.4)))), "config.splitTau: 0.4 is not above the selected τ (config.tau = 1)");
    }
}
